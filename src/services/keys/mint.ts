import { digestKey, generateKey, type KeyKind, redactKey } from "../../domain/keys.js";

export interface MintedKey {
  /** The full secret: returned to the caller exactly once, never stored or logged. */
  value: string;
  digest: string;
  redacted: string;
}

export const mintKey = (kind: KeyKind, secret: string): MintedKey => {
  const value = generateKey(kind);
  return { value, digest: digestKey(secret, value), redacted: redactKey(value) };
};
