import { createHmac, timingSafeEqual } from "node:crypto";
import { randomBase62 } from "./ids.js";

/**
 * Key format (DESIGN.md): `<prefix><48 base62 random chars><6 base62 CRC32 of the random part>`.
 * 48 base62 characters carry 285 bits. The checksum lets us reject typos and junk without I/O.
 */
export type KeyKind = "project" | "service_account" | "admin";

export const KEY_PREFIXES: Record<KeyKind, string> = {
  project: "sk-proj-",
  service_account: "sk-svcacct-",
  admin: "sk-admin-",
};

const RANDOM_LEN = 48;
const CHECK_LEN = 6;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const crc32 = (s: string): number => {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = (CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const toBase62Fixed = (n: number, len: number): string => {
  let out = "";
  let v = n;
  for (let i = 0; i < len; i++) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
};

export const checksumOf = (random: string): string => toBase62Fixed(crc32(random), CHECK_LEN);

export const generateKey = (kind: KeyKind): string => {
  const random = randomBase62(RANDOM_LEN);
  return `${KEY_PREFIXES[kind]}${random}${checksumOf(random)}`;
};

const BODY_RE = /^[0-9A-Za-z]+$/;

/** Pure syntactic check: prefix, length, alphabet and checksum. Returns the kind or null. */
export const parseKey = (presented: string): KeyKind | null => {
  let kind: KeyKind | null = null;
  if (presented.startsWith("sk-proj-")) kind = "project";
  else if (presented.startsWith("sk-svcacct-")) kind = "service_account";
  else if (presented.startsWith("sk-admin-")) kind = "admin";
  if (kind === null) return null;
  const body = presented.slice(KEY_PREFIXES[kind].length);
  if (body.length !== RANDOM_LEN + CHECK_LEN || !BODY_RE.test(body)) return null;
  const random = body.slice(0, RANDOM_LEN);
  return checksumOf(random) === body.slice(RANDOM_LEN) ? kind : null;
};

/** The only form in which a key is stored: HMAC-SHA256(server secret, key), hex. */
export const digestKey = (secret: string | Buffer, key: string): string =>
  createHmac("sha256", secret).update(key).digest("hex");

export const digestsEqual = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** What lists show forever after creation: the typed prefix and the last four characters. */
export const redactKey = (key: string): string => {
  const kind = parseKey(key);
  const prefix = kind ? KEY_PREFIXES[kind] : key.slice(0, 3);
  return `${prefix}...${key.slice(-4)}`;
};
