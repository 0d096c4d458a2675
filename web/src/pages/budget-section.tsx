import { useState } from "preact/hooks";
import { del, get, orAbsent, post } from "../api/client";
import { TextField } from "../components/field";
import { Section } from "../components/page";
import { Async, Empty, ErrorBox } from "../components/states";
import { fmtUsd } from "../lib/format";
import { useAsync } from "../lib/use-async";

/** OpenAI's project spend limit: a hard monthly cap in cents. */
interface SpendLimit {
  threshold_amount: number;
  currency: string;
  interval: string;
  enforcement?: { status: string };
}

export const BudgetSection = ({ projectId, canWrite }: { projectId: string; canWrite: boolean }) => {
  const path = `/v1/organization/projects/${projectId}/spend_limit`;
  const limit = useAsync(
    () => (projectId ? orAbsent(get<SpendLimit>(path)).catch(() => null) : Promise.resolve(null)),
    [projectId],
  );
  const [usd, setUsd] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post(path, {
        threshold_amount: Math.round(Number(usd) * 100),
        currency: "USD",
        interval: "month",
      });
      setUsd("");
      limit.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <Section title="Budget">
      <Async state={limit} what="budget">
        {(l) =>
          l === null ? (
            <Empty>No project budget is set. Per-key budgets are set on each key (API keys → Edit).</Empty>
          ) : (
            <p>
              Hard limit: <strong>{fmtUsd(l.threshold_amount / 100)}</strong> per {l.interval}
              {l.enforcement ? ` (${l.enforcement.status})` : ""}.{" "}
              {canWrite && (
                <button
                  type="button"
                  class="button button-small"
                  onClick={() => del(path).then(limit.reload, setError)}
                >
                  Remove
                </button>
              )}
            </p>
          )
        }
      </Async>
      {canWrite && (
        <form onSubmit={save} class="inline-form">
          <TextField
            label="Monthly budget (USD)"
            type="number"
            min={0.01}
            step="0.01"
            value={usd}
            onValue={setUsd}
          />
          <button type="submit" class="button" disabled={!usd}>
            Set budget
          </button>
        </form>
      )}
      {error && <ErrorBox error={error} />}
    </Section>
  );
};
