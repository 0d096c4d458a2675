import type { FastifyRequest } from "fastify";

export const SESSION_COOKIE = "kp_session";
export const CSRF_HEADER = "x-csrf-token";

/** Reads one cookie from the Cookie header (no framework plugin needed for one name). */
export const readCookie = (req: FastifyRequest, name: string): string | null => {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length > 0 ? v : null;
    }
  }
  return null;
};

/** HTTPS directly, or behind a public HTTPS URL (a TLS-terminating proxy). */
export const isSecureRequest = (req: FastifyRequest, publicUrl: string | undefined): boolean =>
  req.protocol === "https" || Boolean(publicUrl?.startsWith("https:"));

/** httpOnly so scripts never see it; SameSite=Strict so other sites never send it; Secure on HTTPS. */
export const sessionCookie = (token: string, maxAgeSeconds: number, secure: boolean): string =>
  [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");

export const clearedSessionCookie = (secure: boolean): string => sessionCookie("", 0, secure);
