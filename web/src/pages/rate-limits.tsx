import { useEffect, useState } from "preact/hooks";
import { get, orAbsent, post } from "../api/client";
import type { List, RateLimit } from "../api/types";
import { Dialog } from "../components/dialog";
import { TextField } from "../components/field";
import { Page, Section } from "../components/page";
import { Async, Empty, ErrorBox } from "../components/states";
import { fmtInt } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { useSession } from "../state/session";
import { BudgetSection } from "./budget-section";
import { SpendAlertsSection } from "./spend-alerts";

export const RateLimitsPage = () => {
  const { project, session } = useSession();
  const pid = project?.id ?? "";
  const canWrite = session.permissions.write;
  const limits = useAsync(
    () =>
      pid
        ? orAbsent(get<List<RateLimit>>(`/v1/organization/projects/${pid}/rate_limits?limit=100`))
        : Promise.resolve(null),
    [pid],
  );
  const [editing, setEditing] = useState<RateLimit | null>(null);
  return (
    <Page
      title="Limits"
      description={`Rate limits and budget of project “${project?.name ?? "—"}”. Keys can have tighter limits of their own.`}
    >
      <Section title="Rate limits per model">
        <Async state={limits} what="rate limits">
          {(l) =>
            l === null ? (
              <Empty>This server does not offer project rate limits.</Empty>
            ) : l.data.length === 0 ? (
              <Empty>No models have rate limits yet.</Empty>
            ) : (
              <div class="table-wrap">
                <table class="table">
                  <caption class="visually-hidden">Rate limits per model</caption>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col" class="num">
                        Requests / min
                      </th>
                      <th scope="col" class="num">
                        Tokens / min
                      </th>
                      <th scope="col" class="num">
                        Requests / day
                      </th>
                      {canWrite && (
                        <th scope="col">
                          <span class="visually-hidden">Actions</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {l.data.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">{r.model}</th>
                        <td class="num">{fmtInt(r.max_requests_per_1_minute)}</td>
                        <td class="num">{fmtInt(r.max_tokens_per_1_minute)}</td>
                        <td class="num">
                          {r.max_requests_per_1_day ? fmtInt(r.max_requests_per_1_day) : "—"}
                        </td>
                        {canWrite && (
                          <td class="row-actions">
                            <button
                              type="button"
                              class="button button-small"
                              aria-label={`Edit limits of ${r.model}`}
                              onClick={() => setEditing(r)}
                            >
                              Edit
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Section>
      <BudgetSection projectId={pid} canWrite={canWrite} />
      <SpendAlertsSection projectId={pid} canWrite={canWrite} />
      <EditLimitDialog
        limit={editing}
        projectId={pid}
        onClose={() => setEditing(null)}
        onSaved={limits.reload}
      />
    </Page>
  );
};

const EditLimitDialog = ({
  limit,
  projectId,
  onClose,
  onSaved,
}: {
  limit: RateLimit | null;
  projectId: string;
  onClose: () => void;
  onSaved: () => void;
}) => {
  const [rpm, setRpm] = useState("");
  const [tpm, setTpm] = useState("");
  const [rpd, setRpd] = useState("");
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    if (!limit) return;
    setRpm(String(limit.max_requests_per_1_minute));
    setTpm(String(limit.max_tokens_per_1_minute));
    setRpd(limit.max_requests_per_1_day ? String(limit.max_requests_per_1_day) : "");
    setError(null);
  }, [limit]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!limit) return;
    setError(null);
    try {
      await post(`/v1/organization/projects/${projectId}/rate_limits/${limit.id}`, {
        max_requests_per_1_minute: Number(rpm),
        max_tokens_per_1_minute: Number(tpm),
        ...(rpd ? { max_requests_per_1_day: Number(rpd) } : {}),
      });
      onSaved();
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <Dialog open={limit !== null} title={`Limits for ${limit?.model ?? ""}`} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <TextField label="Requests per minute" type="number" min={1} required value={rpm} onValue={setRpm} />
        <TextField label="Tokens per minute" type="number" min={1} required value={tpm} onValue={setTpm} />
        <TextField
          label="Requests per day"
          type="number"
          min={1}
          value={rpd}
          onValue={setRpd}
          hint="Empty = no daily limit."
        />
        {error && <ErrorBox error={error} />}
        <footer class="dialog-footer">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary">
            Save limits
          </button>
        </footer>
      </form>
    </Dialog>
  );
};
