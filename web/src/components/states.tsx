import type { ComponentChildren } from "preact";
import type { AsyncState } from "../lib/use-async";

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    <span class="spinner" aria-hidden="true" /> Loading {what}…
  </p>
);

export const ErrorBox = ({ error, onRetry }: { error: Error; onRetry?: () => void }) => (
  <div class="error-box" role="alert">
    <p>{error.message}</p>
    {onRetry && (
      <button type="button" class="button button-small" onClick={onRetry}>
        Try again
      </button>
    )}
  </div>
);

/** Loading, error or content — every data-backed section goes through this. */
export const Async = <T,>({
  state,
  what,
  children,
}: {
  state: AsyncState<T>;
  what: string;
  children: (data: T) => ComponentChildren;
}) => {
  if (state.data !== undefined && !state.error) return <>{children(state.data)}</>;
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />;
  return <Loading what={what} />;
};

export const Empty = ({ children }: { children: ComponentChildren }) => <p class="empty">{children}</p>;
