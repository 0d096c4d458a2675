import type { ConsoleConfig } from "../../config/schema.js";
import type { Store } from "../../storage/store.js";
import type { KeyVerifier } from "../auth/key-verifier.js";
import type { SignInThrottle } from "./throttle.js";

/** What the sign-in, session and invite-acceptance verbs need (they run before any principal exists). */
export interface ConsoleDeps {
  store: Store;
  verifier: KeyVerifier;
  /** HMAC secret for token digests. */
  secret: string;
  /** Unix seconds. */
  now: () => number;
  policy: ConsoleConfig;
  throttle: SignInThrottle;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}
