import type { FastifyReply } from "fastify";
import { AppError, type ErrorCode } from "../domain/errors.js";

/** The one place an error becomes HTTP: status + OpenAI's `{"error":{message,type,param,code}}`. */
const STATUS: Record<ErrorCode, number> = {
  missing_api_key: 401,
  invalid_api_key: 401,
  missing_scope: 401,
  permission_denied: 403,
  invalid_request: 400,
  not_found: 404,
  unknown_url: 404,
  model_not_found: 404,
  conflict: 409,
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  payload_too_large: 400,
  unsupported_media_type: 415,
  upstream_error: 502,
  upstream_timeout: 504,
  service_unavailable: 503,
  internal: 500,
};

const TYPE: Partial<Record<ErrorCode, string>> = {
  insufficient_quota: "insufficient_quota",
  rate_limit_exceeded: "requests",
  upstream_error: "server_error",
  upstream_timeout: "server_error",
  service_unavailable: "server_error",
  internal: "server_error",
};

export interface WireError {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export const statusOf = (e: AppError): number => STATUS[e.code];

export const toWire = (e: AppError): WireError => ({
  error: {
    message: e.message,
    type: e.wireType ?? TYPE[e.code] ?? "invalid_request_error",
    param: e.param,
    code: e.wireCode !== undefined ? e.wireCode : e.code === "model_not_found" ? "model_not_found" : null,
  },
});

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message: string;
}

/** Translates Fastify's own errors (bad JSON, body too large, wrong content type) to AppError. */
export const fromFrameworkError = (err: FastifyLikeError): AppError | null => {
  switch (err.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("invalid_request", {
        message: `We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)`,
      });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge();
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("unsupported_media_type", {
        message: "Unsupported Content-Type; send application/json.",
      });
    default:
      if (err.statusCode === 400 && err.message.includes("JSON")) {
        return new AppError("invalid_request", {
          message: "We could not parse the JSON body of your request.",
        });
      }
      return null;
  }
};

export const sendError = (reply: FastifyReply, e: AppError): FastifyReply => {
  if (e.headers) reply.headers(e.headers);
  return reply.code(statusOf(e)).type("application/json").send(toWire(e));
};

export const payloadTooLarge = (): AppError =>
  new AppError("payload_too_large", { message: "Request body is too large.", param: null });

/** Unknown errors never leak internals: the body names only the request id. */
export const internalError = (requestId: string): AppError =>
  new AppError("internal", {
    message: `The server had an error while processing your request. Sorry about that! Contact the operator with request id ${requestId}.`,
  });
