import { AppError } from "../domain/errors.js";
import { BUFFER_LIMIT, collect, link, UsageTail } from "./body-read.js";
import { echoRespond } from "./echo.js";
import { endpointOf } from "./endpoint.js";
import { discard, type ForwardOutcome, forward } from "./forward.js";
import { clientResponseHeaders, headerValue } from "./headers.js";
import { clientWantsUsage, upstreamBody, usageNeedsOption } from "./request-body.js";
import { SseTee } from "./sse-tee.js";
import { estimatePromptTokens } from "./tokens.js";
import type { Candidate, Endpoint, SendOutcome, SendRequest, UpstreamResponse } from "./types.js";
import { usageFromBody } from "./usage.js";

export const upstreamTimeout = (): AppError =>
  new AppError("upstream_timeout", {
    message: "The upstream provider did not respond in time. Please retry your request.",
  });

export const upstreamUnreachable = (): AppError =>
  new AppError("upstream_error", {
    message: "The upstream provider could not be reached. Please retry your request.",
  });

const cancelled = (): AppError =>
  new AppError("upstream_error", {
    message: "The request was cancelled before the upstream provider answered.",
  });

export interface SendContext {
  /** What the echo provider lists for `GET /models`. */
  models: readonly string[];
  random?: () => number;
}

interface Plan {
  endpoint: Endpoint;
  /** The gateway asked the upstream for stream usage the client did not want: hide that chunk. */
  injectUsage: boolean;
  wantsUsage: boolean;
  /** Only needed when a body streams (an estimate may be due), so computed on demand. */
  promptTokens: () => number;
}

const plan = (req: SendRequest): Plan => {
  const endpoint = endpointOf(req.path);
  const json = req.json;
  const stream = json?.stream === true;
  const wantsUsage = json ? clientWantsUsage(json) : false;
  return {
    endpoint,
    wantsUsage,
    injectUsage: stream && usageNeedsOption(endpoint) && !wantsUsage,
    promptTokens: () => req.promptTokensEstimate ?? estimatePromptTokens(endpoint, json),
  };
};

const fromEcho = (
  req: SendRequest,
  c: Candidate,
  p: Plan,
  ctx: SendContext,
  attempts: number,
): UpstreamResponse => {
  const r = echoRespond({
    path: req.path,
    method: req.method,
    json: req.json,
    model: c.model,
    clientWantsUsage: p.wantsUsage,
    models: ctx.models,
  });
  return {
    kind: "buffer",
    status: r.status,
    headers: { "content-type": r.contentType, "content-length": String(r.body.length) },
    body: r.body,
    usage: r.usage,
    provider: c.provider.name,
    model: c.model,
    attempts: attempts + 1,
    upstreamRequestId: null,
  };
};

type Answered = Extract<ForwardOutcome, { type: "response" }>;

/** Turns an upstream answer into what the client gets: a teed SSE stream, or a buffered body. */
const finish = async (
  out: Answered,
  c: Candidate,
  p: Plan,
  attempts: number,
  injected: boolean,
): Promise<UpstreamResponse> => {
  const headers = clientResponseHeaders(out.headers);
  const base = {
    status: out.status,
    headers,
    provider: c.provider.name,
    model: c.model,
    attempts,
    upstreamRequestId: headerValue(out.headers, "x-request-id") ?? null,
  };
  const ok = out.status >= 200 && out.status < 300;
  const contentType = headerValue(out.headers, "content-type") ?? "";
  if (ok && contentType.startsWith("text/event-stream")) {
    const tee = new SseTee(out.body, {
      endpoint: p.endpoint,
      dropUsageChunk: injected,
      promptTokensEstimate: p.promptTokens(),
    });
    return { ...base, kind: "stream", body: tee, outcome: tee.outcome };
  }
  const declared = Number(headerValue(out.headers, "content-length") ?? Number.NaN);
  const collected = declared > BUFFER_LIMIT ? { stream: out.body } : await collect(out.body);
  if ("buffer" in collected) {
    headers["content-length"] = String(collected.buffer.length);
    const usage = ok && contentType.includes("json") ? usageFromBody(collected.buffer) : null;
    return { ...base, kind: "buffer", body: collected.buffer, usage };
  }
  if (Number.isFinite(declared)) headers["content-length"] = String(declared);
  const tail = new UsageTail(p.promptTokens());
  link(collected.stream, tail);
  return { ...base, kind: "stream", body: tail, outcome: tail.outcome };
};

/**
 * Below this budget the deadline gets its own timer; above it undici's per-attempt headersTimeout
 * (which ticks at ~1 s granularity) is precise enough and costs no extra allocation per request.
 */
const PRECISE_DEADLINE_BELOW_MS = 10_000;

/**
 * One timer for the whole deadline, linked to the client's signal. Cleared once an answer
 * arrives, so it never cuts a response body that is already flowing.
 */
const deadlineSignal = (ms: number, client: AbortSignal | undefined) => {
  const ac = new AbortController();
  const state = { hit: false };
  const timer = setTimeout(() => {
    state.hit = true;
    ac.abort();
  }, ms);
  if (client?.aborted) ac.abort();
  else client?.addEventListener("abort", () => ac.abort(), { once: true });
  return { signal: ac.signal, state, clear: () => clearTimeout(timer) };
};

/**
 * Serves a request from its candidates in order: each one's retries first, then the next
 * candidate, all within one deadline. The last candidate's answer is passed through even when it
 * is a 429/5xx (status and body unchanged, with its retry-after); a request that never got an
 * answer becomes 504 (timeout) or 502 (unreachable).
 */
export const send = async (req: SendRequest, ctx: SendContext): Promise<SendOutcome> => {
  const p = plan(req);
  const first = req.candidates[0];
  if (!first) return { ok: false, error: upstreamUnreachable() };
  if (first.provider.type === "echo") return { ok: true, response: fromEcho(req, first, p, ctx, 0) };
  const budget = req.deadlineMs ?? first.provider.timeoutMs;
  const deadline = Date.now() + budget;
  if (budget >= PRECISE_DEADLINE_BELOW_MS)
    return attemptAll(req, ctx, p, deadline, req.signal, { hit: false });
  const timer = deadlineSignal(budget, req.signal);
  try {
    return await attemptAll(req, ctx, p, deadline, timer.signal, timer.state);
  } finally {
    timer.clear();
  }
};

const attemptAll = async (
  req: SendRequest,
  ctx: SendContext,
  p: Plan,
  deadline: number,
  signal: AbortSignal | undefined,
  deadlineState: { hit: boolean },
): Promise<SendOutcome> => {
  let attempts = 0;
  for (let i = 0; i < req.candidates.length; i++) {
    const c = req.candidates[i];
    if (!c) break;
    if (c.provider.type === "echo") return { ok: true, response: fromEcho(req, c, p, ctx, attempts) };
    const inject = p.injectUsage && c.provider.streamUsage;
    const out = await forward({
      provider: c.provider,
      path: req.path,
      method: req.method,
      headers: req.headers,
      body: req.body ? upstreamBody(req.body, req.json, c, inject) : null,
      signal,
      deadline,
      ...(ctx.random ? { random: ctx.random } : {}),
    });
    attempts += out.attempts;
    const last = i === req.candidates.length - 1 || Date.now() >= deadline;
    if (out.type === "response") {
      if (!out.retryable || last) {
        try {
          return { ok: true, response: await finish(out, c, p, attempts, inject) };
        } catch {
          return { ok: false, error: upstreamUnreachable() };
        }
      }
      discard(out.body);
      continue;
    }
    if (out.kind === "aborted")
      return { ok: false, error: deadlineState.hit ? upstreamTimeout() : cancelled() };
    if (last) return { ok: false, error: out.kind === "timeout" ? upstreamTimeout() : upstreamUnreachable() };
  }
  return { ok: false, error: upstreamUnreachable() };
};
