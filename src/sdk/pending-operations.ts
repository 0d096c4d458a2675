/**
 * Admin routes the SDK already speaks (OpenAI's shapes, from shared/spec) that this server does
 * not serve yet. When one lands, `npm run sdk:generate` adds it to generated/operations.ts, which
 * shadows the entry here; the contract test then fails until the entry is deleted from this file.
 */

// The shapes a pending entry is written with; unused while nothing is pending.
// biome-ignore lint/correctness/noUnusedVariables: kept for the next pending route.
type None = Record<string, never>;
// biome-ignore lint/correctness/noUnusedVariables: kept for the next pending route.
type Page = { limit?: number; after?: string };

// biome-ignore lint/correctness/noUnusedVariables: kept for the next pending route.
interface Op<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  response: unknown;
}

// Nothing pending: every admin route the SDK speaks is served (invites landed with the dashboard).
// biome-ignore lint/suspicious/noEmptyInterface: the extension point the header describes.
export interface PendingOperations {}

/** Runtime list of the same keys, for the contract test (checked exhaustive below). */
export const PENDING_ROUTES = [] as const satisfies readonly (keyof PendingOperations)[];

type MissingPending = Exclude<keyof PendingOperations, (typeof PENDING_ROUTES)[number]>;
export const PENDING_EXHAUSTIVE: [MissingPending] extends [never] ? true : MissingPending = true;
