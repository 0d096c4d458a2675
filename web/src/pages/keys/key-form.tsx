import type { ServiceAccount } from "../../api/types";
import { Field, TextField } from "../../components/field";
import type { KeyFormState } from "./key-form-state";
import { type Access, type Mode, RESOURCES } from "./permissions";

interface Props {
  form: KeyFormState;
  set: (patch: Partial<KeyFormState>) => void;
  /** Create only: who owns the key. */
  serviceAccounts?: ServiceAccount[];
  editing: boolean;
}

const MODES: { value: Mode; label: string; hint: string }[] = [
  { value: "all", label: "All", hint: "Every endpoint this project allows." },
  { value: "restricted", label: "Restricted", hint: "Only the resources you choose below." },
  { value: "read_only", label: "Read only", hint: "Read endpoints only (api.all.read)." },
];

const EXPIRY = [
  ["never", "Never"],
  ["7", "7 days"],
  ["30", "30 days"],
  ["90", "90 days"],
  ["365", "1 year"],
] as const;

const Owner = ({ form, set, serviceAccounts }: Required<Pick<Props, "form" | "set" | "serviceAccounts">>) => (
  <fieldset class="fieldset">
    <legend>Owned by</legend>
    <label class="choice">
      <input type="radio" name="owner" checked={form.owner === "me"} onChange={() => set({ owner: "me" })} />
      You
    </label>
    <label class="choice">
      <input
        type="radio"
        name="owner"
        checked={form.owner === "service_account"}
        disabled={serviceAccounts.length === 0}
        onChange={() => set({ owner: "service_account", serviceAccountId: serviceAccounts[0]?.id ?? "" })}
      />
      A service account {serviceAccounts.length === 0 && <span class="hint">(create one first)</span>}
    </label>
    {form.owner === "service_account" && (
      <Field label="Service account">
        {(id) => (
          <select
            id={id}
            class="input"
            value={form.serviceAccountId}
            onChange={(e) => set({ serviceAccountId: (e.target as HTMLSelectElement).value })}
          >
            {serviceAccounts.map((sa) => (
              <option key={sa.id} value={sa.id}>
                {sa.name}
              </option>
            ))}
          </select>
        )}
      </Field>
    )}
  </fieldset>
);

const Permissions = ({ form, set }: Pick<Props, "form" | "set">) => (
  <fieldset class="fieldset">
    <legend>Permissions</legend>
    <div class="segmented">
      {MODES.map((m) => (
        <label key={m.value} class="choice" title={m.hint}>
          <input
            type="radio"
            name="mode"
            checked={form.mode === m.value}
            onChange={() => set({ mode: m.value })}
          />
          {m.label}
        </label>
      ))}
    </div>
    <p class="hint">{MODES.find((m) => m.value === form.mode)?.hint}</p>
    {form.mode === "restricted" && (
      <div class="resource-grid">
        {RESOURCES.map((r) => (
          <Field key={r.id} label={r.label}>
            {(id) => (
              <select
                id={id}
                class="input"
                value={form.access[r.id] ?? "none"}
                onChange={(e) =>
                  set({ access: { ...form.access, [r.id]: (e.target as HTMLSelectElement).value as Access } })
                }
              >
                <option value="none">None</option>
                {r.read && <option value="read">Read</option>}
                {r.write && <option value="write">{r.read ? "Write" : "Allowed"}</option>}
              </select>
            )}
          </Field>
        ))}
      </div>
    )}
  </fieldset>
);

const LIMITS: { key: "rpm" | "tpm" | "rpd" | "tpd" | "maxConcurrent"; label: string }[] = [
  { key: "rpm", label: "Requests per minute" },
  { key: "tpm", label: "Tokens per minute" },
  { key: "rpd", label: "Requests per day" },
  { key: "tpd", label: "Tokens per day" },
  { key: "maxConcurrent", label: "Concurrent requests" },
];

/** The fields of the create and edit dialogs. */
export const KeyForm = ({ form, set, serviceAccounts, editing }: Props) => (
  <div class="stack">
    <TextField
      label="Name"
      required
      maxLength={256}
      value={form.name}
      onValue={(name) => set({ name })}
      hint="So you can tell keys apart, e.g. “billing-service prod”."
    />
    {!editing && serviceAccounts && <Owner form={form} set={set} serviceAccounts={serviceAccounts} />}
    <Permissions form={form} set={set} />
    <TextField
      label="Allowed models"
      value={form.models}
      onValue={(models) => set({ models })}
      placeholder="gpt-4o-mini, text-embedding-3-*"
      hint="Comma-separated; a trailing * matches a prefix. Empty = every model the project allows."
    />
    <fieldset class="fieldset">
      <legend>Limits for this key</legend>
      <p class="hint">Empty = only the project's limits apply.</p>
      <div class="limit-grid">
        {LIMITS.map((l) => (
          <TextField
            key={l.key}
            label={l.label}
            type="number"
            min={1}
            inputMode="numeric"
            value={form[l.key]}
            onValue={(v) => set({ [l.key]: v })}
          />
        ))}
      </div>
    </fieldset>
    <div class="two-col">
      <TextField
        label="Budget (USD per month)"
        type="number"
        min={0}
        step="0.01"
        value={form.budget}
        onValue={(budget) => set({ budget })}
        hint="Requests are refused once this month's spend would exceed it."
      />
      <Field label="Expires">
        {(id) => (
          <select
            id={id}
            class="input"
            value={form.expiry}
            onChange={(e) => set({ expiry: (e.target as HTMLSelectElement).value })}
          >
            {editing && <option value="keep">Keep current expiry</option>}
            {EXPIRY.map(([v, label]) => (
              <option key={v} value={v}>
                {editing && v !== "never" ? `${label} from now` : label}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  </div>
);
