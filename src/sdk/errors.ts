/** OpenAI's error body: `{"error":{"message","type","param","code"}}`. */
export interface ErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface ErrorInit {
  status: number | null;
  body?: ErrorBody | undefined;
  requestId?: string | null;
  headers?: Headers | undefined;
  cause?: unknown;
}

/** Every failure the SDK reports. `status` is null when no HTTP response arrived. */
export class KeyplaneError extends Error {
  readonly status: number | null;
  /** The server's error object, when it sent one. */
  readonly error: ErrorBody | undefined;
  /** `x-request-id` of the failed response: quote it when asking an operator for help. */
  readonly requestId: string | null;
  readonly headers: Headers | undefined;

  constructor(message: string, init: ErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.error = init.body;
    this.requestId = init.requestId ?? null;
    this.headers = init.headers;
  }

  /** OpenAI's `error.code` (e.g. `invalid_api_key`), when present. */
  get code(): string | null {
    return this.error?.code ?? null;
  }

  get param(): string | null {
    return this.error?.param ?? null;
  }
}

export class BadRequestError extends KeyplaneError {}
export class AuthenticationError extends KeyplaneError {}
export class PermissionDeniedError extends KeyplaneError {}
export class NotFoundError extends KeyplaneError {}
export class ConflictError extends KeyplaneError {}
export class UnprocessableEntityError extends KeyplaneError {}
export class RateLimitError extends KeyplaneError {}
export class InternalServerError extends KeyplaneError {}

/** The request never got an HTTP response (refused, reset, DNS, TLS). */
export class ConnectionError extends KeyplaneError {}
/** The request exceeded its timeout (each attempt has its own). */
export class TimeoutError extends ConnectionError {}
/** The caller's AbortSignal fired; never retried. */
export class AbortError extends KeyplaneError {}

const isErrorBody = (v: unknown): v is ErrorBody =>
  typeof v === "object" && v !== null && typeof (v as { message?: unknown }).message === "string";

/** Reads OpenAI's body from a parsed response; tolerates non-JSON and foreign shapes. */
export const errorBodyOf = (parsed: unknown): ErrorBody | undefined => {
  const inner =
    typeof parsed === "object" && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
  if (!isErrorBody(inner)) return undefined;
  return {
    message: inner.message,
    type: typeof inner.type === "string" ? inner.type : "api_error",
    param: typeof inner.param === "string" ? inner.param : null,
    code: typeof inner.code === "string" ? inner.code : null,
  };
};

/** One class per status, as the openai client maps them. */
export const errorForStatus = (
  status: number,
  body: ErrorBody | undefined,
  requestId: string | null,
  headers: Headers,
): KeyplaneError => {
  const message = body?.message ?? `HTTP ${status} with no error body`;
  const init: ErrorInit = { status, body, requestId, headers };
  if (status === 400) return new BadRequestError(message, init);
  if (status === 401) return new AuthenticationError(message, init);
  if (status === 403) return new PermissionDeniedError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status === 409) return new ConflictError(message, init);
  if (status === 422) return new UnprocessableEntityError(message, init);
  if (status === 429) return new RateLimitError(message, init);
  if (status >= 500) return new InternalServerError(message, init);
  return new KeyplaneError(message, init);
};
