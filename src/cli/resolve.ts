import { type KeyplaneClient, NotFoundError } from "../sdk/index.js";
import { CliError, EXIT } from "./exit.js";

/**
 * Finds the project of a key given only its id. The audit log's `api_key.created` event names the
 * project in one request; keys it cannot place (e.g. a service account's first key) are found by
 * asking each project in turn.
 */
export const resolveKeyProject = async (client: KeyplaneClient, keyId: string): Promise<string> => {
  const events = await client.auditLogs
    .list({ resource_ids: [keyId], event_types: ["api_key.created"], limit: 1 })
    .firstPage();
  const fromAudit = events.data[0]?.project?.id;
  if (fromAudit && (await exists(client, fromAudit, keyId))) return fromAudit;
  for await (const project of client.projects.list({ include_archived: true, limit: 100 })) {
    if (project.id !== fromAudit && (await exists(client, project.id, keyId))) return project.id;
  }
  throw new CliError(
    `no project holds key ${keyId}; check the id with \`keyplane keys list --project <id>\`.`,
    EXIT.notFound,
  );
};

const exists = async (client: KeyplaneClient, projectId: string, keyId: string): Promise<boolean> => {
  try {
    await client.keys.retrieve(projectId, keyId);
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
};
