import { hash, verify } from "@node-rs/argon2";
import { invalidRequest } from "../../domain/errors.js";
import { randomBase62 } from "../../domain/ids.js";

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ~65 ms here, off the event loop. */
// @node-rs/argon2 defaults to argon2id (a const enum we cannot import under verbatimModuleSyntax).
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

export const assertPasswordAcceptable = (password: string, param = "password"): void => {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalidRequest(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, param);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw invalidRequest(`Passwords may have at most ${MAX_PASSWORD_LENGTH} characters.`, param);
};

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export const verifyPassword = async (stored: string, password: string): Promise<boolean> => {
  try {
    return await verify(stored, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
};

let dummy: Promise<string> | null = null;

/**
 * Unknown emails still cost one argon2 verification, so response time does not reveal whether
 * an account exists.
 */
export const burnVerification = async (password: string): Promise<void> => {
  dummy ??= hashPassword(randomBase62(24));
  await verifyPassword(await dummy, password);
};
