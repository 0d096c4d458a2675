import { createHmac } from "node:crypto";
import { randomBase62 } from "../../domain/ids.js";

/** Kinds of bearer tokens the console hands out; each digests under its own label. */
export type TokenPurpose = "session" | "invite" | "password" | "csrf";

/** 43 base62 characters ≈ 256 bits. */
export const newToken = (): string => randomBase62(43);

/** Only digests are stored; the label keeps a digest of one purpose useless as another. */
export const digestToken = (secret: string, purpose: TokenPurpose, token: string): string =>
  createHmac("sha256", secret).update(`keyplane:${purpose}:${token}`).digest("hex");

/**
 * The CSRF token is derived from the session token, so nothing extra is stored and it changes
 * whenever the session does. The SPA reads it from GET /auth/session (same-origin only).
 */
export const csrfTokenFor = (secret: string, sessionToken: string): string =>
  digestToken(secret, "csrf", sessionToken).slice(0, 43);

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
