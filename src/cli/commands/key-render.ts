import type { KeyLimits, ProjectApiKey } from "../../sdk/index.js";
import * as f from "../format.js";
import type { Column, Output } from "../output.js";

const owner = (k: ProjectApiKey): string =>
  k.owner.type === "service_account"
    ? `svc:${k.owner.service_account.name}`
    : (k.owner.user?.email ?? k.owner.user?.id ?? "user");

export const limitsText = (l: KeyLimits | null): string => {
  if (!l) return "-";
  const parts = (
    [
      ["rpm", l.rpm],
      ["rpd", l.rpd],
      ["tpm", l.tpm],
      ["tpd", l.tpd],
      ["concurrent", l.max_concurrent],
    ] as const
  )
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} ${f.int(v)}`);
  return parts.length === 0 ? "-" : parts.join(", ");
};

const expired = (k: ProjectApiKey): boolean => k.expires_at !== null && k.expires_at * 1000 < Date.now();

export const keyColumns: Column<ProjectApiKey>[] = [
  { header: "ID", value: (k) => k.id, style: () => "cyan" },
  { header: "NAME", value: (k) => k.name },
  { header: "OWNER", value: owner },
  {
    header: "PERMISSIONS",
    value: (k) => f.permissions(k.scopes),
    style: (k) => (k.scopes.length === 0 ? undefined : "yellow"),
  },
  { header: "MODELS", value: (k) => f.list(k.models) },
  { header: "LIMITS", value: (k) => limitsText(k.limits) },
  { header: "BUDGET", value: (k) => f.usd(k.budget_usd), align: "right" },
  { header: "EXPIRES", value: (k) => f.date(k.expires_at), style: (k) => (expired(k) ? "red" : undefined) },
  { header: "LAST USED", value: (k) => f.date(k.last_used_at), style: () => "dim" },
];

export const showKey = (out: Output, k: ProjectApiKey): void => {
  out.fields([
    ["id", out.paint(k.id, "cyan")],
    ["name", k.name],
    ["project", k.project_id],
    ["owner", owner(k)],
    ["permissions", f.permissions(k.scopes)],
    ["models", f.list(k.models)],
    ["limits", limitsText(k.limits)],
    ["budget", f.usd(k.budget_usd)],
    ["created", f.date(k.created_at)],
    ["expires", k.expires_at === null ? "never" : f.date(k.expires_at)],
    ["last used", f.date(k.last_used_at)],
    ["redacted", k.redacted_value],
  ]);
};

/** Human form of a create/rotate answer; `--quiet` prints only `k.value` instead. */
export const showSecret = (out: Output, verb: string, k: ProjectApiKey & { value: string }): void => {
  out.success(`${verb} ${k.id} "${k.name}" in ${k.project_id}`);
  out.line();
  out.line(`  ${out.paint(k.value, "bold")}`);
  out.line();
  out.line(
    out.paint("Store this secret now: it is shown only once. (--quiet prints only the secret.)", "yellow"),
  );
};
