import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { BudgetAlert } from "../../domain/budgets.js";
import { AppError } from "../../domain/errors.js";
import type { PriceTable } from "../../domain/pricing.js";
import type { RequiredScope } from "../../domain/scopes.js";
import { estimateTokens, maxOutputTokens } from "../../domain/token-estimate.js";
import type { JointReserver } from "../../limits/joint-reserver.js";
import type { RateLimiter } from "../../limits/rate-limiter.js";
import type { SpendLedger } from "../../limits/spend-ledger.js";
import type { UsageMeter } from "../../metering/meter-api.js";
import type { CancelSignal } from "../../upstream/cancel.js";
import type { Endpoint, StreamOutcome, Upstreams, Usage } from "../../upstream/index.js";
import type { KeyVerifier } from "../auth/key-verifier.js";
import { authorizeModelRequest } from "./authorize-model-request.js";
import type { LimitsResolver } from "./request-limits.js";
import type { RequestTrace } from "./request-trace.js";
import { type Held, releaseRequest, reserveRequest, settleRequest } from "./reservations.js";
import { buildUsageEvent } from "./usage-event.js";

export interface GatewayDeps {
  verifier: KeyVerifier;
  upstreams: Upstreams;
  meter: UsageMeter;
  limiter: RateLimiter;
  ledger: SpendLedger;
  /** Limits and budgets in one decision where the store offers it (Redis). */
  joint?: JointReserver | null;
  resolveLimits: LimitsResolver;
  prices: PriceTable;
  defaultMaxOutputTokens: number;
  /** Spend thresholds crossed for the first time (webhook + audit, off the request path). */
  onAlerts: (alerts: BudgetAlert[], origin: AlertOrigin) => void;
  /** Background failures (settle, journal) — logged, never thrown at a client. */
  onBackgroundError: (err: unknown) => void;
}

export interface ModelRequest {
  /** The x-request-id; also the usage event's id, so usage traces back to logs and replays dedupe. */
  requestId: string;
  endpoint: Endpoint;
  /** Path after `/v1`, with query. */
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: Buffer | null;
  scope: RequiredScope;
  /** Whether the body must name a model (every model route does; passthrough routes may not). */
  requireModel: boolean;
  signal?: CancelSignal;
  /**
   * True when no other request is in flight. Its usage event then has no one to share a journal
   * write with, so it is written at once rather than at the end of the event-loop turn.
   */
  alone?: () => boolean;
  /** Filled in for metrics when present. */
  trace?: RequestTrace;
}

export type ModelOutcome =
  | { ok: false; error: AppError; headers: Record<string, string> }
  | {
      ok: true;
      status: number;
      /** The upstream's headers the client may see (content-length included for buffers). */
      headers: Readonly<Record<string, string | string[]>>;
      /** OpenAI's x-ratelimit-* headers for this request. */
      limitHeaders: Readonly<Record<string, string>>;
      orgId: string;
      projectId: string | null;
      body: Buffer | Readable;
      /**
       * Settles a buffered answer's limits and budget. The caller runs it once the response is
       * written (or the client is gone): it changes nothing the client sees, so it stays off the
       * critical path. Null for streams, which settle when they end.
       */
      afterResponse: (() => void) | null;
    };

const NO_HEADERS: Record<string, string> = {};

const badJson = (): AppError =>
  new AppError("invalid_request", {
    message:
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  });

const parseBody = (body: Buffer | null): Record<string, unknown> | null | AppError => {
  if (body === null || body.length === 0) return null;
  try {
    const v: unknown = JSON.parse(body.toString("utf8"));
    if (typeof v !== "object" || v === null || Array.isArray(v)) return badJson();
    return v as Record<string, unknown>;
  } catch {
    return badJson();
  }
};

const totalTokens = (u: Usage | null): number => (u ? u.inputTokens + u.outputTokens : 0);

/**
 * The hot path: key check → permissions → limits and budget → forward → settle and meter.
 * Every refusal is a returned value; only programming errors throw.
 */
export const handleModelRequest = async (deps: GatewayDeps, req: ModelRequest): Promise<ModelOutcome> => {
  const startedAtMs = Date.now();
  // Cached keys and limits answer synchronously; awaiting only real promises saves a microtask each.
  const checked = deps.verifier.verify(req.headers.authorization);
  const verified = checked instanceof Promise ? await checked : checked;
  if (!verified.ok) return { ok: false, error: verified.error, headers: NO_HEADERS };
  const v = verified.value;
  const trace = req.trace;
  if (trace) trace.projectId = v.key.projectId ?? "";
  const json = parseBody(req.body);
  if (json instanceof AppError) return { ok: false, error: json, headers: NO_HEADERS };
  const model = typeof json?.model === "string" && json.model.length > 0 ? json.model : null;
  if (trace && model !== null) trace.model = model;
  if (req.requireModel && model === null) {
    const denied = authorizeModelRequest(v, req.scope, null);
    if (denied) return { ok: false, error: denied, headers: NO_HEADERS };
    return {
      ok: false,
      error: new AppError("invalid_request", {
        message: "you must provide a model parameter",
        param: "model",
      }),
      headers: NO_HEADERS,
    };
  }
  const denied = authorizeModelRequest(v, req.scope, model);
  if (denied) return { ok: false, error: denied, headers: NO_HEADERS };
  const routed = deps.upstreams.resolve(model ?? "*");
  if (!routed.ok) return { ok: false, error: routed.error, headers: NO_HEADERS };

  const modelName = model ?? "";
  const noOutput = req.endpoint === "embeddings";
  const maxOut = noOutput || !json ? 0 : maxOutputTokens(json, deps.defaultMaxOutputTokens);
  const tokens = json
    ? estimateTokens(json, { defaultMaxOutputTokens: noOutput ? 0 : deps.defaultMaxOutputTokens })
    : 0;
  const resolved = deps.resolveLimits({
    orgId: v.key.orgId,
    projectId: v.key.projectId ?? "",
    key: v.key,
    model: modelName,
    nowMs: startedAtMs,
  });
  const limits = resolved instanceof Promise ? await resolved : resolved;
  const reserving = reserveRequest({
    limiter: deps.limiter,
    ledger: deps.ledger,
    joint: deps.joint ?? null,
    prices: deps.prices,
    orgId: v.key.orgId,
    model: modelName,
    limits,
    tokens,
    inputTokens: tokens - maxOut,
    maxOutputTokens: maxOut,
  });
  const reserved = reserving instanceof Promise ? await reserving : reserving;
  if (!reserved.ok) return { ok: false, error: reserved.error, headers: NO_HEADERS };
  const held = reserved.held;
  const origin: AlertOrigin = {
    keyId: v.key.id,
    kind: v.kind === "service_account" ? "service_account" : "project",
  };

  const sentAt = trace ? performance.now() : 0;
  const sent = await deps.upstreams.send({
    path: req.path,
    method: req.method,
    headers: req.headers,
    body: req.body,
    json,
    candidates: routed.candidates,
    signal: req.signal,
  });
  if (trace) {
    trace.upstreamMs = performance.now() - sentAt;
    if (sent.ok) {
      trace.provider = sent.response.provider;
      trace.attempts = sent.response.attempts;
    } else {
      trace.provider = routed.candidates[0]?.provider.name ?? null;
    }
  }
  if (!sent.ok) {
    void releaseRequest(deps.limiter, deps.ledger, held).catch(deps.onBackgroundError);
    return { ok: false, error: sent.error, headers: held.headers };
  }
  const r = sent.response;
  // The transport writes the two header sets as one list; merging objects here cost more than
  // the rest of this function together. Outcomes are literals too: an object spread (`...x`)
  // costs microseconds on this path (profile).
  const answer = (body: Buffer | Readable, afterResponse: (() => void) | null): ModelOutcome => ({
    ok: true,
    status: r.status,
    headers: r.headers,
    limitHeaders: held.headers,
    orgId: v.key.orgId,
    projectId: v.key.projectId,
    body,
    afterResponse,
  });

  const usageEvent = (usage: Usage | null, status: number, bytes: number) =>
    buildUsageEvent({
      id: req.requestId,
      key: v,
      model: modelName,
      endpoint: req.endpoint,
      usage,
      status,
      startedAtMs,
      bytes,
      prices: deps.prices,
    });

  if (r.kind === "buffer") {
    const usage = r.status < 400 ? r.usage : null;
    const event = usageEvent(usage, r.status, r.body.length);
    const settle = () => finish(deps, held, usage, event.costMicros, origin);
    // Journaled before the response ends: a crash after this point replays the event.
    try {
      if (req.alone?.()) deps.meter.appendSync(event);
      else await deps.meter.append(event);
    } catch (err) {
      settle();
      throw err;
    }
    return answer(r.body, settle);
  }
  /** A stream's usage event, settled against its reservation as it is built. */
  const meterEvent = (reported: Usage | null, status: number, bytes: number) => {
    const usage = status < 400 ? reported : null;
    const event = usageEvent(usage, status, bytes);
    finish(deps, held, usage, event.costMicros, origin);
    return event;
  };
  const status = r.status;
  const streamEvent = (o: StreamOutcome) => meterEvent(o.usage, status, o.deliveredBytes);
  // A stream that completes is journaled before its last byte, in the shared write of its
  // event-loop turn (at once when it is alone in flight); one cut short (client gone, upstream
  // broke) is journaled when it settles.
  let journaled = false;
  r.beforeEnd?.((o) => {
    journaled = true;
    const event = streamEvent(o);
    if (!req.alone?.()) return deps.meter.append(event);
    deps.meter.appendSync(event);
    return null;
  });
  void r.outcome
    .then((o) => {
      if (!journaled) deps.meter.appendSync(streamEvent(o));
    })
    .catch(deps.onBackgroundError);
  return answer(r.body, null);
};

/** Which key's request crossed a spend threshold (the audit event's actor). */
export interface AlertOrigin {
  keyId: string;
  kind: "project" | "service_account";
}

/** Settles (or releases, for answers that used nothing) off the response path. */
const finish = (
  deps: GatewayDeps,
  held: Held,
  usage: Usage | null,
  cost: number,
  origin: AlertOrigin,
): void => {
  if (!held.rate && !held.budget) return;
  if (usage === null) {
    void releaseRequest(deps.limiter, deps.ledger, held).catch(deps.onBackgroundError);
    return;
  }
  if (held.budget === null && held.rate !== null) {
    // No budget, so no alerts to wait for: the limiter alone, without settleRequest's promises.
    void deps.limiter.settle(held.rate, totalTokens(usage)).catch(deps.onBackgroundError);
    return;
  }
  const alerts = settleRequest(
    deps.limiter,
    deps.ledger,
    held,
    totalTokens(usage),
    cost,
    deps.onBackgroundError,
  );
  const fire = (a: BudgetAlert[]): void => {
    if (a.length === 0) return;
    // Never into the request: an alert that fails to dispatch is a background error.
    try {
      deps.onAlerts(a, origin);
    } catch (err) {
      deps.onBackgroundError(err);
    }
  };
  if (alerts instanceof Promise) alerts.then(fire, deps.onBackgroundError);
  else fire(alerts);
};
