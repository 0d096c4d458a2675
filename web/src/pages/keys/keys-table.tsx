import type { ApiKey } from "../../api/types";
import { fmtAgo, fmtDate, fmtShortDate, fmtUsd } from "../../lib/format";
import { describeScopes } from "./permissions";

export interface KeyActions {
  edit: (k: ApiKey) => void;
  rotate: (k: ApiKey) => void;
  revoke: (k: ApiKey) => void;
}

const ownerOf = (k: ApiKey) =>
  k.owner.type === "service_account" ? (
    <>
      {k.owner.service_account?.name ?? "—"}
      <span class="subtle budget-line">service account</span>
    </>
  ) : (
    (k.owner.user?.email ?? k.owner.user?.name ?? "—")
  );

/** Keys of the project. Actions render only when the session may write (decided by the server). */
export const KeysTable = ({
  keys,
  spend,
  actions,
}: {
  keys: ApiKey[];
  spend: Map<string, number> | null;
  actions: KeyActions | null;
}) => (
  <div class="table-wrap">
    <table class="table">
      <caption class="visually-hidden">API keys of this project</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Secret key</th>
          <th scope="col">Owner</th>
          <th scope="col">Permissions</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col" class="num">
            Spend (month)
          </th>
          {actions && (
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id} data-key-id={k.id}>
            <th scope="row" class="key-name">
              {k.name}
              {k.expires_at && <span class="badge">expires {fmtDate(k.expires_at)}</span>}
            </th>
            <td>
              <code class="redacted">{k.redacted_value}</code>
            </td>
            <td>{ownerOf(k)}</td>
            <td>{describeScopes(k.scopes)}</td>
            <td class="nowrap">{fmtShortDate(k.created_at)}</td>
            <td class="nowrap">{fmtAgo(k.last_used_at)}</td>
            <td class="num" data-testid="key-spend">
              {spend ? fmtUsd(spend.get(k.id) ?? 0) : "—"}
              {k.budget_usd !== null && <span class="subtle budget-line">of {fmtUsd(k.budget_usd)}</span>}
            </td>
            {actions && (
              <td class="row-actions">
                <button
                  type="button"
                  class="button button-small"
                  onClick={() => actions.edit(k)}
                  aria-label={`Edit ${k.name}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="button button-small"
                  onClick={() => actions.rotate(k)}
                  aria-label={`Rotate ${k.name}`}
                >
                  Rotate
                </button>
                <button
                  type="button"
                  class="button button-small button-danger"
                  onClick={() => actions.revoke(k)}
                  aria-label={`Revoke ${k.name}`}
                >
                  Revoke
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
