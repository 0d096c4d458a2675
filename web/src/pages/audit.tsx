import { useState } from "preact/hooks";
import { get, qs } from "../api/client";
import type { AuditLog, List } from "../api/types";
import { Field, TextField } from "../components/field";
import { Page } from "../components/page";
import { Empty, ErrorBox, Loading } from "../components/states";
import { fmtDateTime } from "../lib/format";
import { useAsync } from "../lib/use-async";

const TYPES = [
  "api_key.created",
  "api_key.updated",
  "api_key.deleted",
  "project.created",
  "project.updated",
  "project.archived",
  "service_account.created",
  "service_account.deleted",
  "user.added",
  "user.updated",
  "user.deleted",
  "invite.sent",
  "invite.accepted",
  "invite.deleted",
  "login.succeeded",
  "login.failed",
  "logout.succeeded",
  "rate_limit.updated",
];

interface Filters {
  type: string;
  resource: string;
  actor: string;
  from: string;
  to: string;
}

const toSeconds = (date: string, endOfDay: boolean): number | undefined => {
  if (!date) return undefined;
  const t = Date.parse(`${date}T00:00:00`);
  return Number.isFinite(t) ? Math.floor(t / 1000) + (endOfDay ? 86_400 : 0) : undefined;
};

const actorOf = (e: AuditLog): string =>
  e.actor?.session?.user.email ?? e.actor?.api_key?.user?.email ?? e.actor?.api_key?.id ?? "—";

const query = (f: Filters, after?: string) =>
  `/v1/organization/audit_logs${qs({
    limit: 50,
    after,
    event_types: f.type ? [f.type] : undefined,
    resource_ids: f.resource ? [f.resource.trim()] : undefined,
    actor_ids: f.actor ? [f.actor.trim()] : undefined,
    "effective_at[gte]": toSeconds(f.from, false),
    "effective_at[lt]": toSeconds(f.to, true),
  })}`;

/** The audit log with OpenAI's filters; newest first, 50 at a time. */
export const AuditPage = () => {
  const [draft, setDraft] = useState<Filters>({ type: "", resource: "", actor: "", from: "", to: "" });
  const [filters, setFilters] = useState(draft);
  const [more, setMore] = useState<AuditLog[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(async () => {
    const page = await get<List<AuditLog>>(query(filters));
    setMore([]);
    setCursor(page.has_more ? page.last_id : null);
    return page.data;
  }, [filters]);
  const loadMore = async () => {
    if (!cursor) return;
    const page = await get<List<AuditLog>>(query(filters, cursor));
    setMore((m) => [...m, ...page.data]);
    setCursor(page.has_more ? page.last_id : null);
  };
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));
  const rows = [...(first.data ?? []), ...more];
  return (
    <Page title="Audit log" description="Every change to keys, projects, members and sign-ins, newest first.">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters(draft);
        }}
      >
        <Field label="Event type">
          {(id) => (
            <select
              id={id}
              class="input"
              value={draft.type}
              onChange={(e) => set({ type: (e.target as HTMLSelectElement).value })}
            >
              <option value="">Any</option>
              {TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label="Resource ID"
          value={draft.resource}
          onValue={(resource) => set({ resource })}
          placeholder="key_…"
        />
        <TextField
          label="Actor ID"
          value={draft.actor}
          onValue={(actor) => set({ actor })}
          placeholder="user-… or key_…"
        />
        <TextField label="From" type="date" value={draft.from} onValue={(from) => set({ from })} />
        <TextField label="To" type="date" value={draft.to} onValue={(to) => set({ to })} />
        <button type="submit" class="button button-primary">
          Apply filters
        </button>
      </form>
      {first.error && <ErrorBox error={first.error} onRetry={first.reload} />}
      {first.loading && first.data === undefined && <Loading what="audit log" />}
      {first.data !== undefined && rows.length === 0 && <Empty>No events match these filters.</Empty>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Audit events</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Actor</th>
                <th scope="col">Project</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td>{fmtDateTime(e.effective_at)}</td>
                  <th scope="row">
                    <code>{e.type}</code>
                  </th>
                  <td>{actorOf(e)}</td>
                  <td>{e.project?.name ?? "—"}</td>
                  <td>
                    <details>
                      <summary>Show</summary>
                      <pre class="json">{JSON.stringify(e[e.type] ?? {}, null, 2)}</pre>
                      {e.ip_address && <p class="subtle">IP {e.ip_address}</p>}
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <button type="button" class="button" onClick={loadMore}>
          Load more
        </button>
      )}
    </Page>
  );
};
