/**
 * OpenAI's key permissions as the create dialog shows them: All (scopes []), Read only
 * (["api.all.read"]) or Restricted, with None / Read / Write per resource mapped to scope names.
 */
export type Mode = "all" | "restricted" | "read_only";
export type Access = "none" | "read" | "write";

export interface Resource {
  id: string;
  label: string;
  read?: string;
  write?: string;
}

export const RESOURCES: readonly Resource[] = [
  { id: "models", label: "Models (list and retrieve)", read: "api.model.read" },
  {
    id: "model_request",
    label: "Model capabilities (chat, completions, embeddings, images, audio)",
    write: "model.request",
  },
  { id: "responses", label: "Responses", read: "api.responses.read", write: "api.responses.write" },
  { id: "assistants", label: "Assistants", read: "api.assistants.read", write: "api.assistants.write" },
  { id: "threads", label: "Threads", read: "api.threads.read", write: "api.threads.write" },
  { id: "files", label: "Files", read: "api.files.read", write: "api.files.write" },
  {
    id: "vector_stores",
    label: "Vector stores",
    read: "api.vector_stores.read",
    write: "api.vector_stores.write",
  },
  {
    id: "fine_tuning",
    label: "Fine-tuning",
    read: "api.fine_tuning.jobs.read",
    write: "api.fine_tuning.jobs.write",
  },
  { id: "batch", label: "Batch", read: "api.batch.read", write: "api.batch.write" },
  { id: "evals", label: "Evals", read: "api.evals.read", write: "api.evals.write" },
];

export const READ_ALL = "api.all.read";

export const toScopes = (mode: Mode, access: Record<string, Access>): string[] => {
  if (mode === "all") return [];
  if (mode === "read_only") return [READ_ALL];
  const out: string[] = [];
  for (const r of RESOURCES) {
    const a = access[r.id] ?? "none";
    // A write scope implies read on the server, so one scope per resource is enough.
    if (a === "write" && r.write) out.push(r.write);
    else if (a === "read" && r.read) out.push(r.read);
  }
  return out;
};

export const fromScopes = (scopes: readonly string[]): { mode: Mode; access: Record<string, Access> } => {
  const access: Record<string, Access> = {};
  if (scopes.length === 0) return { mode: "all", access };
  if (scopes.length === 1 && scopes[0] === READ_ALL) return { mode: "read_only", access };
  for (const r of RESOURCES) {
    if (
      r.write &&
      (scopes.includes(r.write) || (r.id === "model_request" && scopes.includes("api.model.request")))
    )
      access[r.id] = "write";
    else if (r.read && scopes.includes(r.read)) access[r.id] = "read";
  }
  return { mode: "restricted", access };
};

export const describeScopes = (scopes: readonly string[]): string => {
  const { mode, access } = fromScopes(scopes);
  if (mode === "all") return "All";
  if (mode === "read_only") return "Read only";
  const granted = RESOURCES.filter((r) => (access[r.id] ?? "none") !== "none").length;
  return `Restricted (${granted} ${granted === 1 ? "resource" : "resources"})`;
};
