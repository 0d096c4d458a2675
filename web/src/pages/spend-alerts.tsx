import { useState } from "preact/hooks";
import { del, get, orAbsent, post } from "../api/client";
import type { List } from "../api/types";
import { TextField } from "../components/field";
import { Section } from "../components/page";
import { Async, Empty, ErrorBox } from "../components/states";
import { fmtUsd } from "../lib/format";
import { useAsync } from "../lib/use-async";

/** OpenAI's spend alert: a threshold in cents per month, delivered to email recipients (and webhooks). */
interface SpendAlert {
  id: string;
  threshold_amount: number;
  interval: string;
  notification_channel: { type: string; recipients: string[] };
}

export const SpendAlertsSection = ({ projectId, canWrite }: { projectId: string; canWrite: boolean }) => {
  const path = `/v1/organization/projects/${projectId}/spend_alerts`;
  const alerts = useAsync(
    () => (projectId ? orAbsent(get<List<SpendAlert>>(`${path}?limit=100`)) : Promise.resolve(null)),
    [projectId],
  );
  const [usd, setUsd] = useState("");
  const [recipients, setRecipients] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await post(path, {
        threshold_amount: Math.round(Number(usd) * 100),
        currency: "USD",
        interval: "month",
        notification_channel: {
          type: "email",
          recipients: recipients
            .split(/[\s,]+/)
            .map((r) => r.trim())
            .filter(Boolean),
        },
      });
      setUsd("");
      alerts.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <Section title="Spend alerts">
      <Async state={alerts} what="spend alerts">
        {(l) =>
          l === null ? (
            <Empty>This server does not offer spend alerts.</Empty>
          ) : l.data.length === 0 ? (
            <Empty>No alerts. Add one to hear about spend before the budget stops requests.</Empty>
          ) : (
            <ul class="plain-list">
              {l.data.map((a) => (
                <li key={a.id}>
                  At <strong>{fmtUsd(a.threshold_amount / 100)}</strong> per {a.interval}, notify{" "}
                  {a.notification_channel.recipients.join(", ") || "the webhook"}{" "}
                  {canWrite && (
                    <button
                      type="button"
                      class="button button-small button-danger"
                      aria-label={`Delete the ${fmtUsd(a.threshold_amount / 100)} alert`}
                      onClick={() => del(`${path}/${a.id}`).then(alerts.reload, setError)}
                    >
                      Delete
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {canWrite && alerts.data !== null && (
        <form onSubmit={add} class="inline-form">
          <TextField
            label="Alert at (USD per month)"
            type="number"
            min={0}
            step="0.01"
            value={usd}
            onValue={setUsd}
          />
          <TextField
            label="Email recipients"
            value={recipients}
            onValue={setRecipients}
            placeholder="ops@example.com"
          />
          <button type="submit" class="button" disabled={!usd}>
            Add alert
          </button>
        </form>
      )}
      {error && <ErrorBox error={error} />}
    </Section>
  );
};
