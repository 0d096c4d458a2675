import { useState } from "preact/hooks";
import { del, post } from "../api/client";
import type { ServiceAccount } from "../api/types";
import { listAll } from "../api/usage";
import { ConfirmDialog } from "../components/confirm-dialog";
import { Dialog } from "../components/dialog";
import { TextField } from "../components/field";
import { Page } from "../components/page";
import { Async, Empty, ErrorBox } from "../components/states";
import { fmtDate } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { useSession } from "../state/session";
import { SecretDialog } from "./keys/secret-dialog";

/** Service accounts: keys that belong to a workload instead of a person. */
export const ServiceAccountsPage = () => {
  const { project, session } = useSession();
  const pid = project?.id ?? "";
  const canWrite = session.permissions.write;
  const state = useAsync(
    () =>
      pid
        ? listAll<ServiceAccount>(`/v1/organization/projects/${pid}/service_accounts`)
        : Promise.resolve([]),
    [pid],
  );
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const [removing, setRemoving] = useState<ServiceAccount | null>(null);
  const [secret, setSecret] = useState<{ value: string; name: string } | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const sa = await post<ServiceAccount>(`/v1/organization/projects/${pid}/service_accounts`, {
        name: name.trim(),
      });
      setCreating(false);
      setName("");
      if (sa.api_key?.value) setSecret({ value: sa.api_key.value, name: sa.name });
      state.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (
    <Page
      title="Service accounts"
      description="Owners of keys used by services rather than people. Creating one also creates its first key."
      actions={
        canWrite && pid ? (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Create service account
          </button>
        ) : null
      }
    >
      <Async state={state} what="service accounts">
        {(list) =>
          list.length === 0 ? (
            <Empty>No service accounts in this project.</Empty>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Service accounts</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">ID</th>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    {canWrite && (
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((sa) => (
                    <tr key={sa.id}>
                      <th scope="row">{sa.name}</th>
                      <td>
                        <code>{sa.id}</code>
                      </td>
                      <td>{sa.role}</td>
                      <td>{fmtDate(sa.created_at)}</td>
                      {canWrite && (
                        <td class="row-actions">
                          <button
                            type="button"
                            class="button button-small button-danger"
                            aria-label={`Delete ${sa.name}`}
                            onClick={() => setRemoving(sa)}
                          >
                            Delete
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
      <Dialog open={creating} title="Create a service account" onClose={() => setCreating(false)}>
        <form onSubmit={create} class="stack">
          <TextField label="Name" required maxLength={256} value={name} onValue={setName} />
          {error && <ErrorBox error={error} />}
          <footer class="dialog-footer">
            <button type="button" class="button" onClick={() => setCreating(false)}>
              Cancel
            </button>
            <button type="submit" class="button button-primary" disabled={!name.trim()}>
              Create
            </button>
          </footer>
        </form>
      </Dialog>
      <ConfirmDialog
        open={removing !== null}
        title="Delete service account"
        confirmLabel="Delete"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await del(`/v1/organization/projects/${pid}/service_accounts/${removing.id}`);
          state.reload();
        }}
      >
        <p>
          Delete <strong>{removing?.name}</strong>? Its keys stop working at once.
        </p>
      </ConfirmDialog>
      <SecretDialog secret={secret} title="Save the service account's key" onClose={() => setSecret(null)} />
    </Page>
  );
};
