import { useState } from "preact/hooks";
import { del, post } from "../../api/client";
import type { User } from "../../api/types";
import { listAll } from "../../api/usage";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { CopyField } from "../../components/copy-button";
import { Dialog } from "../../components/dialog";
import { Page, Section } from "../../components/page";
import { Async, ErrorBox } from "../../components/states";
import { fmtDate } from "../../lib/format";
import { useAsync } from "../../lib/use-async";
import { useSession } from "../../state/session";
import { InvitesSection } from "./invites-section";

/** Organization members with their roles, and the invites that bring new ones in. */
export const MembersPage = () => {
  const { session } = useSession();
  const canWrite = session.permissions.write;
  const users = useAsync(() => listAll<User>("/v1/organization/users"), []);
  const [removing, setRemoving] = useState<User | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const issueLink = async (u: User) => {
    setError(null);
    try {
      const r = await post<{ url: string }>(`/v1/organization/users/${u.id}/password_link`);
      setLink({ email: u.email, url: r.url });
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const [error, setError] = useState<Error | null>(null);
  const setRole = async (u: User, role: string) => {
    setError(null);
    try {
      await post(`/v1/organization/users/${u.id}`, { role });
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    users.reload();
  };
  return (
    <Page title="Members" description="Owners manage everything; readers can see but not change.">
      <Section title="People">
        {error && <ErrorBox error={error} />}
        <Async state={users} what="members">
          {(list) => (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Organization members</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Added</th>
                    {canWrite && (
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.name}</th>
                      <td>{u.email}</td>
                      <td>
                        {canWrite && u.id !== session.user.id ? (
                          <select
                            class="input input-compact"
                            aria-label={`Role of ${u.email}`}
                            value={u.role}
                            onChange={(e) => setRole(u, (e.target as HTMLSelectElement).value)}
                          >
                            <option value="owner">Owner</option>
                            <option value="reader">Reader</option>
                          </select>
                        ) : (
                          u.role
                        )}
                      </td>
                      <td>{fmtDate(u.added_at)}</td>
                      {canWrite && (
                        <td class="row-actions">
                          <button
                            type="button"
                            class="button button-small"
                            aria-label={`Password link for ${u.email}`}
                            onClick={() => issueLink(u)}
                          >
                            Password link
                          </button>
                          {u.id !== session.user.id && (
                            <button
                              type="button"
                              class="button button-small button-danger"
                              aria-label={`Remove ${u.email}`}
                              onClick={() => setRemoving(u)}
                            >
                              Remove
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </Section>
      <InvitesSection canWrite={canWrite} />
      <Dialog open={link !== null} title="Set-password link" onClose={() => setLink(null)}>
        <div class="stack">
          <p class="warning" role="alert">
            Send this link to <strong>{link?.email}</strong>. It works once and is not shown again; setting a
            password signs out their other sessions.
          </p>
          <CopyField label="Password link" value={link?.url ?? ""} />
        </div>
      </Dialog>
      <ConfirmDialog
        open={removing !== null}
        title="Remove member"
        confirmLabel="Remove"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await del(`/v1/organization/users/${removing.id}`);
          users.reload();
        }}
      >
        <p>
          Remove <strong>{removing?.email}</strong> from the organization? Their sessions end at once.
        </p>
      </ConfirmDialog>
    </Page>
  );
};
