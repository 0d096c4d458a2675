import { useState } from "preact/hooks";
import { post } from "../api/client";
import type { Project } from "../api/types";
import { Dialog } from "../components/dialog";
import { TextField } from "../components/field";
import { ErrorBox } from "../components/states";
import { useSession } from "../state/session";

/** Organization and project switchers, the new-project dialog and the account menu. */
export const Switchers = () => {
  const s = useSession();
  const [creating, setCreating] = useState(false);
  const [orgError, setOrgError] = useState<Error | null>(null);
  const orgs = s.session.organizations;
  return (
    <div class="switchers">
      <div class="switcher">
        <label for="org-switcher">Organization</label>
        {orgs.length > 1 ? (
          <select
            id="org-switcher"
            class="input"
            value={s.session.organization.id}
            onChange={(e) =>
              s
                .switchOrganization((e.target as HTMLSelectElement).value)
                .catch((err: Error) => setOrgError(err))
            }
          >
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        ) : (
          <span id="org-switcher" class="switcher-value">
            {s.session.organization.name}
          </span>
        )}
      </div>
      <div class="switcher">
        <label for="project-switcher">Project</label>
        <select
          id="project-switcher"
          class="input"
          value={s.project?.id ?? ""}
          onChange={(e) => s.selectProject((e.target as HTMLSelectElement).value)}
        >
          {s.projects.length === 0 && <option value="">No projects</option>}
          {s.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {s.session.permissions.write && (
          <button type="button" class="button button-small" onClick={() => setCreating(true)}>
            New project
          </button>
        )}
      </div>
      <div class="account">
        <span class="account-email" title={s.session.user.email}>
          {s.session.user.email}
        </span>
        <button type="button" class="button button-small" onClick={() => s.signOut(false)}>
          Sign out
        </button>
      </div>
      {orgError && <ErrorBox error={orgError} />}
      <NewProjectDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
};

const NewProjectDialog = ({ open, onClose }: { open: boolean; onClose: () => void }) => {
  const s = useSession();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const p = await post<Project>("/v1/organization/projects", { name: name.trim() });
      await s.reloadProjects();
      s.selectProject(p.id);
      setName("");
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="Create a project" onClose={onClose}>
      <form onSubmit={submit}>
        <TextField label="Project name" value={name} onValue={setName} required maxLength={256} autoFocus />
        {error && <ErrorBox error={error} />}
        <footer class="dialog-footer">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
            {busy ? "Creating…" : "Create project"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
};
