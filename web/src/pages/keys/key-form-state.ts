import type { ApiKey } from "../../api/types";
import { type Access, fromScopes, type Mode, toScopes } from "./permissions";

/** The create/edit dialog's fields, all as the inputs hold them (strings), converted on submit. */
export interface KeyFormState {
  name: string;
  owner: "me" | "service_account";
  serviceAccountId: string;
  mode: Mode;
  access: Record<string, Access>;
  models: string;
  rpm: string;
  tpm: string;
  rpd: string;
  tpd: string;
  maxConcurrent: string;
  budget: string;
  /** Days until expiry; "never"; or "keep" (edit only: leave it as it is). */
  expiry: string;
}

export const emptyKeyForm = (): KeyFormState => ({
  name: "",
  owner: "me",
  serviceAccountId: "",
  mode: "all",
  access: {},
  models: "",
  rpm: "",
  tpm: "",
  rpd: "",
  tpd: "",
  maxConcurrent: "",
  budget: "",
  expiry: "never",
});

const str = (n: number | null | undefined): string => (n === null || n === undefined ? "" : String(n));

export const formFromKey = (k: ApiKey): KeyFormState => {
  const { mode, access } = fromScopes(k.scopes);
  return {
    ...emptyKeyForm(),
    name: k.name,
    mode,
    access,
    models: (k.models ?? []).join(", "),
    rpm: str(k.limits?.rpm),
    tpm: str(k.limits?.tpm),
    rpd: str(k.limits?.rpd),
    tpd: str(k.limits?.tpd),
    maxConcurrent: str(k.limits?.max_concurrent),
    budget: str(k.budget_usd),
    expiry: "keep",
  };
};

const int = (s: string): number | null => {
  const n = Number.parseInt(s.trim(), 10);
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** The settings shared by create and update bodies (see the key routes' schemas). */
export const settingsBody = (f: KeyFormState) => {
  const limits = {
    rpm: int(f.rpm),
    tpm: int(f.tpm),
    rpd: int(f.rpd),
    tpd: int(f.tpd),
    max_concurrent: int(f.maxConcurrent),
  };
  const models = f.models
    .split(/[\s,]+/)
    .map((m) => m.trim())
    .filter(Boolean);
  const budget = Number.parseFloat(f.budget);
  return {
    name: f.name.trim(),
    scopes: toScopes(f.mode, f.access),
    models: models.length > 0 ? models : null,
    limits: Object.values(limits).some((v) => v !== null) ? limits : null,
    budget_usd: Number.isFinite(budget) && budget > 0 ? budget : null,
    ...(f.expiry === "keep"
      ? {}
      : { expires_in_seconds: f.expiry === "never" ? null : Number(f.expiry) * 86_400 }),
  };
};

export const createBody = (f: KeyFormState) => {
  const s = settingsBody(f);
  const { expires_in_seconds, ...rest } = s as ReturnType<typeof settingsBody> & {
    expires_in_seconds?: number | null;
  };
  return {
    ...rest,
    ...(expires_in_seconds ? { expires_in_seconds } : {}),
    ...(f.owner === "service_account" && f.serviceAccountId
      ? { service_account_id: f.serviceAccountId }
      : {}),
  };
};

export const validateKeyForm = (f: KeyFormState): string | null => {
  if (!f.name.trim()) return "Give the key a name.";
  if (f.owner === "service_account" && !f.serviceAccountId) return "Choose a service account.";
  if (f.mode === "restricted" && toScopes(f.mode, f.access).length === 0)
    return "A restricted key needs at least one permission.";
  return null;
};
