import { useState } from "preact/hooks";
import { post } from "../../api/client";
import type { ApiKey, ServiceAccount } from "../../api/types";
import { Dialog } from "../../components/dialog";
import { Field } from "../../components/field";
import { ErrorBox } from "../../components/states";
import { KeyForm } from "./key-form";
import {
  createBody,
  emptyKeyForm,
  formFromKey,
  type KeyFormState,
  settingsBody,
  validateKeyForm,
} from "./key-form-state";

/**
 * The form resets in the render that opens the dialog (not in an effect after it), so the first
 * frame a person — or a test — sees already holds the key's values.
 */
const useForm = (initial: () => KeyFormState, open: boolean) => {
  const [state, setState] = useState(() => ({ open, form: initial() }));
  let current = state;
  if (open !== state.open) {
    current = { open, form: open ? initial() : state.form };
    setState(current);
  }
  return [
    current.form,
    (patch: Partial<KeyFormState>) => setState((s) => ({ ...s, form: { ...s.form, ...patch } })),
  ] as const;
};

const useSubmitting = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
};

export const CreateKeyDialog = ({
  open,
  projectId,
  serviceAccounts,
  onClose,
  onCreated,
}: {
  open: boolean;
  projectId: string;
  serviceAccounts: ServiceAccount[];
  onClose: () => void;
  onCreated: (k: ApiKey) => void;
}) => {
  const [form, set] = useForm(emptyKeyForm, open);
  const { busy, error, setError, run } = useSubmitting();
  const submit = (e: Event) => {
    e.preventDefault();
    const problem = validateKeyForm(form);
    if (problem) return setError(new Error(problem));
    run(async () => {
      const k = await post<ApiKey>(`/v1/organization/projects/${projectId}/api_keys`, createBody(form));
      onCreated(k);
    });
  };
  return (
    <Dialog open={open} title="Create a secret key" onClose={onClose} size="wide">
      <form onSubmit={submit} noValidate>
        <KeyForm form={form} set={set} serviceAccounts={serviceAccounts} editing={false} />
        {error && <ErrorBox error={error} />}
        <footer class="dialog-footer">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Creating…" : "Create secret key"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
};

export const EditKeyDialog = ({
  apiKey,
  projectId,
  onClose,
  onSaved,
}: {
  apiKey: ApiKey | null;
  projectId: string;
  onClose: () => void;
  onSaved: () => void;
}) => {
  const [form, set] = useForm(() => (apiKey ? formFromKey(apiKey) : emptyKeyForm()), apiKey !== null);
  const { busy, error, setError, run } = useSubmitting();
  const submit = (e: Event) => {
    e.preventDefault();
    const problem = validateKeyForm(form);
    if (problem || !apiKey) return setError(new Error(problem ?? "No key"));
    run(async () => {
      await post(`/v1/organization/projects/${projectId}/api_keys/${apiKey.id}`, settingsBody(form));
      onSaved();
      onClose();
    });
  };
  return (
    <Dialog open={apiKey !== null} title={`Edit “${apiKey?.name ?? ""}”`} onClose={onClose} size="wide">
      <form onSubmit={submit} noValidate>
        <KeyForm form={form} set={set} editing />
        {error && <ErrorBox error={error} />}
        <footer class="dialog-footer">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Saving…" : "Save changes"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
};

const GRACE = [
  ["0", "None — the old secret stops now"],
  ["3600", "1 hour"],
  ["86400", "24 hours"],
  ["604800", "7 days"],
] as const;

export const RotateKeyDialog = ({
  apiKey,
  projectId,
  onClose,
  onRotated,
}: {
  apiKey: ApiKey | null;
  projectId: string;
  onClose: () => void;
  onRotated: (k: ApiKey) => void;
}) => {
  const [grace, setGrace] = useState("3600");
  const { busy, error, run } = useSubmitting();
  const submit = (e: Event) => {
    e.preventDefault();
    if (!apiKey) return;
    run(async () => {
      const k = await post<ApiKey>(`/v1/organization/projects/${projectId}/api_keys/${apiKey.id}/rotate`, {
        grace_period_seconds: Number(grace),
      });
      onRotated(k);
    });
  };
  return (
    <Dialog open={apiKey !== null} title={`Rotate “${apiKey?.name ?? ""}”`} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        <p>
          Rotation issues a new secret for the same key id, settings and usage history. Deploy the new secret,
          then let the old one lapse.
        </p>
        <Field label="Old secret keeps working for">
          {(id) => (
            <select
              id={id}
              class="input"
              value={grace}
              onChange={(e) => setGrace((e.target as HTMLSelectElement).value)}
            >
              {GRACE.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {error && <ErrorBox error={error} />}
        <footer class="dialog-footer">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? "Rotating…" : "Rotate key"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
};
