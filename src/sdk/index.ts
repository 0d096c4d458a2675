export { KeyplaneClient } from "./client.js";
export {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  type ErrorBody,
  InternalServerError,
  KeyplaneError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UnprocessableEntityError,
} from "./errors.js";
export type { Body, Operations, Params, Query, ResponseOf, Responses, RouteKey } from "./operations.js";
export { BucketList, CursorList } from "./pagination.js";
export type { BackoffOptions } from "./retry.js";
export type { ClientOptions, FetchLike, RequestEvent, RequestOptions, RetryEvent } from "./transport.js";
export type * from "./types.js";
