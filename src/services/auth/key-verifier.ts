import * as crypto from "node:crypto";
import { LRUCache } from "lru-cache";
import { type AppError, invalidApiKey, missingApiKey } from "../../domain/errors.js";
import { digestKey, type KeyKind, parseKey } from "../../domain/keys.js";
import type { ApiKeyRecord, KeySecretRecord, ProjectRecord } from "../../storage/records.js";
import type { Store } from "../../storage/store.js";

/** crypto.hash (Node ≥ 20.12) is a one-shot without a Hash object; older 20.x use createHash. */
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: "hex") => string }).hash;
const sha256 = (s: string): string =>
  oneShot ? oneShot("sha256", s, "hex") : crypto.createHash("sha256").update(s).digest("hex");

/** What a request learns about its key. Never contains the key itself. */
export interface VerifiedKey {
  key: ApiKeyRecord;
  secret: KeySecretRecord;
  /** null for admin keys. */
  project: ProjectRecord | null;
  kind: KeyKind;
}

export type VerifyResult = { ok: true; value: VerifiedKey } | { ok: false; error: AppError };

interface Entry {
  v: VerifiedKey;
  loadedAtMs: number;
  /** The answer for `v` while it checks out, built once rather than per request. */
  ok: VerifyResult;
}

export interface KeyVerifierOptions {
  store: Store;
  secret: string;
  cacheSize: number;
  /** Upper bound on how stale a cached entry may be when another instance changed the key. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Verifies presented keys. Syntax and checksum are checked without I/O; verified keys are kept in a
 * bounded LRU keyed by a hash of the key. Local mutations evict at once (evictKey / evictProject); other
 * instances learn through the invalidation bus or, at worst, after `ttlMs`.
 */
export class KeyVerifier {
  private readonly cache: LRUCache<string, Entry>;
  private readonly byKey = new Map<string, Set<string>>();
  private readonly now: () => number;
  private readonly ttlMs: number;
  private lastUsed = new Map<string, number>();
  /** Cache lookups of well-formed keys since start (the metrics' hit ratio). */
  readonly cacheStats = { hits: 0, misses: 0 };

  constructor(private readonly opts: KeyVerifierOptions) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.cache = new LRUCache<string, Entry>({
      max: opts.cacheSize,
      dispose: (entry, cacheKey) => this.byKey.get(entry.v.key.id)?.delete(cacheKey),
    });
  }

  digest(presented: string): string {
    return digestKey(this.opts.secret, presented);
  }

  /** Parses `Authorization: Bearer <key>`; null when the header is absent or empty. */
  static bearer(header: string | undefined): string | null {
    if (!header) return null;
    // What every SDK sends, "Bearer <printable ASCII>", without the regex and its match array.
    if (header.startsWith("Bearer ") && header.length > 7) {
      let i = 7;
      for (let c = header.charCodeAt(i); c > 0x20 && c < 0x7f; c = header.charCodeAt(++i));
      if (i === header.length) return header.slice(7);
    }
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1] ?? null;
  }

  /**
   * The cache is keyed by a plain SHA-256 of the presented key, not by its HMAC digest: keys carry
   * 285 random bits, so either is as safe to hold in memory, and the one-shot hash costs a fifth
   * of an HMAC on every request. The HMAC (what the store holds) is computed on a miss only.
   */
  verify(authorization: string | undefined): VerifyResult | Promise<VerifyResult> {
    const presented = KeyVerifier.bearer(authorization);
    if (presented === null) return { ok: false, error: missingApiKey() };
    const cacheKey = sha256(presented);
    const nowMs = this.now();
    const entry = this.cache.get(cacheKey);
    // A hit answers synchronously: the hot path awaits only when the store must be read. Only
    // keys that parsed and were found get cached, so a hit needs no syntax or checksum check.
    if (entry && nowMs - entry.loadedAtMs <= this.ttlMs) {
      this.cacheStats.hits++;
      return this.check(entry, presented, nowMs);
    }
    const kind = parseKey(presented);
    if (kind === null) return { ok: false, error: invalidApiKey(presented) };
    this.cacheStats.misses++;
    return this.load(presented, kind, cacheKey, nowMs);
  }

  private async load(
    presented: string,
    kind: KeyKind,
    cacheKey: string,
    nowMs: number,
  ): Promise<VerifyResult> {
    const found = await this.opts.store.apiKeys.findByDigest(this.digest(presented));
    if (!found) {
      this.cache.delete(cacheKey);
      return { ok: false, error: invalidApiKey(presented) };
    }
    const project = found.key.projectId
      ? await this.opts.store.projects.get(found.key.orgId, found.key.projectId)
      : null;
    const v = { key: found.key, secret: found.secret, project, kind };
    const entry: Entry = { v, loadedAtMs: nowMs, ok: { ok: true, value: v } };
    this.cache.set(cacheKey, entry);
    const set = this.byKey.get(found.key.id) ?? new Set<string>();
    set.add(cacheKey);
    this.byKey.set(found.key.id, set);
    return this.check(entry, presented, nowMs);
  }

  private check(entry: Entry, presented: string, nowMs: number): VerifyResult {
    const v = entry.v;
    const nowSec = Math.floor(nowMs / 1000);
    if (
      v.key.revokedAt !== null ||
      (v.key.expiresAt !== null && v.key.expiresAt <= nowSec) ||
      (v.secret.expiresAt !== null && v.secret.expiresAt <= nowSec) ||
      (v.project !== null && v.project.status !== "active")
    ) {
      return { ok: false, error: invalidApiKey(presented) };
    }
    this.lastUsed.set(v.key.id, nowSec);
    return entry.ok;
  }

  /** Called after every local eviction (e.g. to tell other instances); set by the invalidation bus. */
  onEvict: ((kind: "key" | "project", id: string) => void) | null = null;

  evictKey(keyId: string, broadcast = true): void {
    if (broadcast) this.onEvict?.("key", keyId);
    const digests = this.byKey.get(keyId);
    if (!digests) return;
    for (const d of [...digests]) this.cache.delete(d);
    this.byKey.delete(keyId);
  }

  evictProject(projectId: string, broadcast = true): void {
    if (broadcast) this.onEvict?.("project", projectId);
    for (const [digest, entry] of this.cache.entries()) {
      if (entry.v.key.projectId === projectId) this.cache.delete(digest);
    }
  }

  /** Drains the coalesced last-use times (one per key) for the background writer. */
  drainLastUsed(): { id: string; at: number }[] {
    if (this.lastUsed.size === 0) return [];
    const out = [...this.lastUsed].map(([id, at]) => ({ id, at }));
    this.lastUsed = new Map();
    return out;
  }
}
