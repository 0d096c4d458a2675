/**
 * Admin routes the SDK already speaks (OpenAI's shapes, from shared/spec) that this server does
 * not serve yet. When one lands, `npm run sdk:generate` adds it to generated/operations.ts, which
 * shadows the entry here; the contract test then fails until the entry is deleted from this file.
 */

type None = Record<string, never>;
type Page = { limit?: number; after?: string };

interface Op<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  response: unknown;
}

export interface InviteBody {
  email: string;
  role: "reader" | "owner";
  projects?: { id: string; role: "member" | "owner" }[];
}

export interface PendingOperations {
  "GET /v1/organization/invites": Op<None, Page, undefined>;
  "POST /v1/organization/invites": Op<None, None, InviteBody>;
  "GET /v1/organization/invites/{invite_id}": Op<{ invite_id: string }, None, undefined>;
  "DELETE /v1/organization/invites/{invite_id}": Op<{ invite_id: string }, None, undefined>;
}

/** Runtime list of the same keys, for the contract test (checked exhaustive below). */
export const PENDING_ROUTES = [
  "GET /v1/organization/invites",
  "POST /v1/organization/invites",
  "GET /v1/organization/invites/{invite_id}",
  "DELETE /v1/organization/invites/{invite_id}",
] as const satisfies readonly (keyof PendingOperations)[];

type MissingPending = Exclude<keyof PendingOperations, (typeof PENDING_ROUTES)[number]>;
export const PENDING_EXHAUSTIVE: [MissingPending] extends [never] ? true : MissingPending = true;
