import type { Readable } from "node:stream";
import { AppError } from "../domain/errors.js";
import { BUFFER_LIMIT, collect, link, UsageTail } from "./body-read.js";
import { type CancelSignal, ClientCancel } from "./cancel.js";
import { echoRespond } from "./echo.js";
import { endpointOf } from "./endpoint.js";
import { discard, type ForwardOutcome, forward } from "./forward.js";
import { clientResponseHeaders, headerValue } from "./headers.js";
import { clientWantsUsage, upstreamBody, usageNeedsOption } from "./request-body.js";
import { outputChars } from "./sse-scan.js";
import { SseTee } from "./sse-tee.js";
import { estimatePromptTokens, tokensForChars } from "./tokens.js";
import type {
  Candidate,
  Endpoint,
  PassHeaders,
  SendOutcome,
  SendRequest,
  UpstreamResponse,
  Usage,
} from "./types.js";
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

/** Where a non-stream answer keeps its output text (Responses: `output_text.text`). */
const BODY_OUTPUT: Partial<Record<Endpoint, Endpoint>> = {
  chat: "chat",
  completions: "completions",
  responses: "completions",
};

/**
 * A 2xx model answer that reports no usage (some OpenAI-compatible servers omit it, or compress
 * the body) is still metered: prompt estimate plus the output characters found in the body.
 */
const estimateBodyUsage = (p: Plan, body: Buffer): Usage | null => {
  if (p.endpoint !== "embeddings" && !BODY_OUTPUT[p.endpoint]) return null;
  const scanAs = BODY_OUTPUT[p.endpoint];
  const chars = scanAs ? outputChars(scanAs, body.toString("utf8")) : 0;
  return {
    inputTokens: p.promptTokens(),
    outputTokens: tokensForChars(chars),
    cachedInputTokens: 0,
    estimated: true,
  };
};

/** Turns an upstream answer into what the client gets: a teed SSE stream, or a buffered body. */
const finish = (
  out: Answered,
  c: Candidate,
  p: Plan,
  attempts: number,
  injected: boolean,
): UpstreamResponse | Promise<UpstreamResponse> => {
  const headers = clientResponseHeaders(out.headers);
  const status = out.status;
  const provider = c.provider.name;
  const model = c.model;
  const upstreamRequestId = headerValue(out.headers, "x-request-id") ?? null;
  const ok = status >= 200 && status < 300;
  const contentType = headerValue(out.headers, "content-type") ?? "";
  // Object literals, not `{ ...base, … }`: the spread took most of this function's time (profile).
  const raw = out.body;
  if (ok && !Buffer.isBuffer(raw) && contentType.startsWith("text/event-stream")) {
    const tee = new SseTee(raw, {
      endpoint: p.endpoint,
      dropUsageChunk: injected,
      promptTokensEstimate: p.promptTokens,
    });
    const outcome = tee.outcome;
    return {
      kind: "stream",
      status,
      headers,
      body: tee,
      outcome,
      beforeEnd: (hook) => tee.beforeEnd(hook),
      provider,
      model,
      attempts,
      upstreamRequestId,
    };
  }
  const declared = Number(headerValue(out.headers, "content-length") ?? Number.NaN);
  const buffered = (body: Buffer): UpstreamResponse => {
    headers["content-length"] = String(body.length);
    const read = ok && contentType.includes("json") ? usageFromBody(body) : null;
    const usage = read ?? (ok ? estimateBodyUsage(p, body) : null);
    return { kind: "buffer", status, headers, body, usage, provider, model, attempts, upstreamRequestId };
  };
  // The usual small answer arrives whole: answered without another promise in between.
  if (Buffer.isBuffer(raw)) return buffered(raw);
  const answer = { headers, declared, p, status, c, attempts, upstreamRequestId };
  if (declared > BUFFER_LIMIT) return streamed(raw, answer);
  return collect(raw).then((collected) =>
    "buffer" in collected ? buffered(collected.buffer) : streamed(collected.stream, answer),
  );
};

/** A large or unbounded non-SSE body relayed as it comes, with usage read from its tail. */
const streamed = (
  raw: Readable,
  a: {
    headers: PassHeaders;
    declared: number;
    p: Plan;
    status: number;
    c: Candidate;
    attempts: number;
    upstreamRequestId: string | null;
  },
): UpstreamResponse => {
  const { headers, declared, p, status, attempts, upstreamRequestId } = a;
  const provider = a.c.provider.name;
  const model = a.c.model;
  if (Number.isFinite(declared)) headers["content-length"] = String(declared);
  const tail = new UsageTail(p.promptTokens);
  link(raw, tail);
  const outcome = tail.outcome;
  return {
    kind: "stream",
    status,
    headers,
    body: tail,
    outcome,
    provider,
    model,
    attempts,
    upstreamRequestId,
  };
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
const deadlineSignal = (ms: number, client: CancelSignal | undefined) => {
  const ac = new ClientCancel();
  const state = { hit: false };
  const timer = setTimeout(() => {
    state.hit = true;
    ac.abort();
  }, ms);
  if (client?.aborted) ac.abort();
  else client?.addEventListener("abort", () => ac.abort(), { once: true });
  return { signal: ac, state, clear: () => clearTimeout(timer) };
};

/**
 * Serves a request from its candidates in order: each one's retries first, then the next
 * candidate, all within one deadline. The last candidate's answer is passed through even when it
 * is a 429/5xx (status and body unchanged, with its retry-after); a request that never got an
 * answer becomes 504 (timeout) or 502 (unreachable).
 */
export const send = (req: SendRequest, ctx: SendContext): Promise<SendOutcome> => {
  const p = plan(req);
  const first = req.candidates[0];
  if (!first) return Promise.resolve({ ok: false, error: upstreamUnreachable() });
  if (first.provider.type === "echo")
    return Promise.resolve({ ok: true, response: fromEcho(req, first, p, ctx, 0) });
  const budget = req.deadlineMs ?? first.provider.timeoutMs;
  const deadline = Date.now() + budget;
  // Not an async function: returning attemptAll's promise from one would cost two more ticks.
  if (budget >= PRECISE_DEADLINE_BELOW_MS)
    return attemptAll(req, ctx, p, deadline, req.signal, { hit: false });
  return withDeadlineTimer(req, ctx, p, deadline, budget);
};

const withDeadlineTimer = async (
  req: SendRequest,
  ctx: SendContext,
  p: Plan,
  deadline: number,
  budget: number,
): Promise<SendOutcome> => {
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
  signal: CancelSignal | undefined,
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
      random: ctx.random,
    });
    attempts += out.attempts;
    const last = i === req.candidates.length - 1 || Date.now() >= deadline;
    if (out.type === "response") {
      if (!out.retryable || last) {
        try {
          const done = finish(out, c, p, attempts, inject);
          return { ok: true, response: done instanceof Promise ? await done : done };
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
