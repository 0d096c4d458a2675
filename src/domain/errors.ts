/**
 * The one error type of Keyplane. `code` is a closed union; http/errors.ts is the only place
 * that maps it to a status and OpenAI's error body.
 */
export type ErrorCode =
  | "missing_api_key"
  | "invalid_api_key"
  | "missing_scope"
  | "permission_denied"
  | "invalid_request"
  | "not_found"
  | "unknown_url"
  | "model_not_found"
  | "conflict"
  | "rate_limit_exceeded"
  | "insufficient_quota"
  | "payload_too_large"
  | "unsupported_media_type"
  | "upstream_error"
  | "upstream_timeout"
  | "service_unavailable"
  | "internal";

export interface AppErrorInit {
  message: string;
  param?: string | null;
  /** OpenAI's `error.code` when it differs from the default for this kind. */
  wireCode?: string | null;
  /** OpenAI's `error.type` when it differs from the default for this kind. */
  wireType?: string;
  /** Extra response headers (e.g. retry-after). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly wireCode: string | null | undefined;
  readonly wireType: string | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, init: AppErrorInit) {
    super(init.message);
    this.name = "AppError";
    this.code = code;
    this.param = init.param ?? null;
    this.wireCode = init.wireCode;
    this.wireType = init.wireType;
    this.headers = init.headers;
  }
}

export const invalidRequest = (message: string, param: string | null = null, wireCode?: string): AppError =>
  new AppError("invalid_request", { message, param, wireCode: wireCode ?? null });

export const notFound = (what: string, id: string, param: string | null = null): AppError =>
  new AppError("not_found", { message: `No such ${what}: ${id}`, param });

export const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password.";

export const missingApiKey = (): AppError =>
  new AppError("missing_api_key", { message: MISSING_KEY_MESSAGE });

/** OpenAI echoes the presented key masked: first 8 characters, stars, last 4. */
export const maskPresentedKey = (key: string): string =>
  key.length <= 12
    ? `${key.slice(0, 3)}${"*".repeat(Math.max(0, key.length - 3))}`
    : `${key.slice(0, 8)}${"*".repeat(Math.min(key.length - 12, 40))}${key.slice(-4)}`;

export const invalidApiKey = (presented: string): AppError =>
  new AppError("invalid_api_key", {
    message: `Incorrect API key provided: ${maskPresentedKey(presented)}. You can find your API key in your Keyplane dashboard.`,
    wireCode: "invalid_api_key",
  });

export const missingScope = (scope: string): AppError =>
  new AppError("missing_scope", {
    message: `You have insufficient permissions for this operation. Missing scopes: ${scope}. Check that you have the correct role in your organization (Reader, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.`,
  });
