import { useState } from "preact/hooks";
import { del, post } from "../../api/client";
import type { Invite } from "../../api/types";
import { listAll } from "../../api/usage";
import { CopyField } from "../../components/copy-button";
import { Dialog } from "../../components/dialog";
import { Field, TextField } from "../../components/field";
import { Section } from "../../components/page";
import { Async, Empty, ErrorBox } from "../../components/states";
import { fmtDateTime } from "../../lib/format";
import { useAsync } from "../../lib/use-async";
import { useSession } from "../../state/session";

export const InvitesSection = ({ canWrite }: { canWrite: boolean }) => {
  const { project } = useSession();
  const invites = useAsync(() => listAll<Invite>("/v1/organization/invites"), []);
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"reader" | "owner">("reader");
  const [projectRole, setProjectRole] = useState<"none" | "member" | "owner">("member");
  const [error, setError] = useState<Error | null>(null);
  const [sent, setSent] = useState<Invite | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const inv = await post<Invite>("/v1/organization/invites", {
        email: email.trim(),
        role,
        projects: project && projectRole !== "none" ? [{ id: project.id, role: projectRole }] : [],
      });
      setSent(inv);
      setEmail("");
      invites.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  const close = () => {
    setOpen(false);
    setSent(null);
    setError(null);
  };
  return (
    <Section
      title="Invites"
      actions={
        canWrite ? (
          <button type="button" class="button button-primary" onClick={() => setOpen(true)}>
            Invite member
          </button>
        ) : null
      }
    >
      <Async state={invites} what="invites">
        {(list) =>
          list.length === 0 ? (
            <Empty>No invites yet.</Empty>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <caption class="visually-hidden">Invites</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    {canWrite && (
                      <th scope="col">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.id}>
                      <th scope="row">{i.email}</th>
                      <td>{i.role}</td>
                      <td>
                        <span class={`badge badge-${i.status}`}>{i.status}</span>
                      </td>
                      <td>{fmtDateTime(i.expires_at)}</td>
                      {canWrite && (
                        <td class="row-actions">
                          {i.status !== "accepted" && (
                            <button
                              type="button"
                              class="button button-small button-danger"
                              aria-label={`Withdraw invite for ${i.email}`}
                              onClick={() =>
                                del(`/v1/organization/invites/${i.id}`).then(invites.reload, setError)
                              }
                            >
                              Withdraw
                            </button>
                          )}
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
      <Dialog open={open} title={sent ? "Invite created" : "Invite a member"} onClose={close}>
        {sent?.accept_url ? (
          <div class="stack">
            <p class="warning" role="alert">
              Keyplane sends no email. Send this link to <strong>{sent.email}</strong> yourself. It works
              once, until {fmtDateTime(sent.expires_at)}, and is not shown again.
            </p>
            <CopyField label="Invite link" value={sent.accept_url} />
            <footer class="dialog-footer">
              <button type="button" class="button button-primary" onClick={close}>
                Done
              </button>
            </footer>
          </div>
        ) : (
          <form onSubmit={submit} class="stack">
            <TextField label="Email" type="email" required value={email} onValue={setEmail} />
            <Field label="Organization role">
              {(id) => (
                <select
                  id={id}
                  class="input"
                  value={role}
                  onChange={(e) => setRole((e.target as HTMLSelectElement).value as "reader")}
                >
                  <option value="reader">Reader — can see everything, change nothing</option>
                  <option value="owner">Owner — full control</option>
                </select>
              )}
            </Field>
            <Field label={`Access to project “${project?.name ?? "—"}”`}>
              {(id) => (
                <select
                  id={id}
                  class="input"
                  value={projectRole}
                  onChange={(e) => setProjectRole((e.target as HTMLSelectElement).value as "member")}
                >
                  <option value="member">Member</option>
                  <option value="owner">Owner</option>
                  <option value="none">No project</option>
                </select>
              )}
            </Field>
            {error && <ErrorBox error={error} />}
            <footer class="dialog-footer">
              <button type="button" class="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" class="button button-primary" disabled={!email.trim()}>
                Create invite link
              </button>
            </footer>
          </form>
        )}
      </Dialog>
    </Section>
  );
};
