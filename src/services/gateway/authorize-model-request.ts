import { AppError, missingScope } from "../../domain/errors.js";
import { grants, modelAllowed, type RequiredScope } from "../../domain/scopes.js";
import type { VerifiedKey } from "../auth/key-verifier.js";

/**
 * Pure permission check for a model request: the key's scopes, its model allow-list, and the
 * project's model policy. Returns the refusal, or null when the request may proceed.
 */
export const authorizeModelRequest = (
  v: VerifiedKey,
  required: RequiredScope,
  model: string | null,
): AppError | null => {
  if (v.kind === "admin" || !grants(v.key.scopes, required)) return missingScope(required.name);
  if (model === null) return null;
  const project = v.project;
  const projectDenies =
    project !== null &&
    ((project.modelMode === "allow_list" && !modelAllowed(project.modelIds, model)) ||
      (project.modelMode === "deny_list" &&
        project.modelIds.length > 0 &&
        modelAllowed(project.modelIds, model)));
  if (projectDenies || !modelAllowed(v.key.models, model)) {
    const who = projectDenies ? `Project \`${project?.id ?? ""}\`` : `API key \`${v.key.id}\``;
    return new AppError("permission_denied", {
      message: `${who} does not have access to model \`${model}\``,
      wireCode: "model_not_found",
      param: "model",
    });
  }
  return null;
};
