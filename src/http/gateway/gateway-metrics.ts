import type { ErrorCode } from "../../domain/errors.js";
import type { Metrics } from "../../metrics/registry.js";
import type { ModelOutcome } from "../../services/gateway/model-request.js";
import type { RequestTrace } from "../../services/gateway/request-trace.js";
import { statusOf } from "../errors.js";

/** Our own refusals, by the error that answered them. */
const REFUSAL: Partial<Record<ErrorCode, string>> = {
  rate_limit_exceeded: "rate_limit",
  insufficient_quota: "budget",
  missing_api_key: "auth",
  invalid_api_key: "auth",
  missing_scope: "permission",
  permission_denied: "permission",
  model_not_found: "permission",
};

/** Records one gateway request once its outcome is known (headers, for streams). */
export const recordGatewayRequest = (
  m: Metrics,
  route: string,
  out: ModelOutcome,
  trace: RequestTrace,
  totalMs: number,
): void => {
  const status = out.ok ? out.status : statusOf(out.error);
  const upstreamMs = trace.upstreamMs;
  m.request(
    route,
    status,
    trace.model,
    trace.projectId,
    Math.max(0, totalMs - (upstreamMs ?? 0)),
    upstreamMs,
  );
  const provider = trace.provider ?? "unknown";
  if (!out.ok) {
    const refusal = REFUSAL[out.error.code];
    if (refusal) m.refusal(refusal);
    if (out.error.code === "upstream_timeout") m.upstreamError(provider, "timeout");
    else if (out.error.code === "upstream_error" && upstreamMs !== null)
      m.upstreamError(provider, "unreachable");
  } else if (out.status >= 500) {
    m.upstreamError(provider, "status_5xx");
  } else if (out.status === 429) {
    m.upstreamError(provider, "status_429");
  }
  if (trace.attempts > 1) m.retry(provider, trace.attempts - 1);
};
