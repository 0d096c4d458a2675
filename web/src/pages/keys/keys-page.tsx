import { useState } from "preact/hooks";
import { del } from "../../api/client";
import type { ApiKey, ServiceAccount } from "../../api/types";
import { listAll, spendByKey } from "../../api/usage";
import { ConfirmDialog } from "../../components/confirm-dialog";
import { Page } from "../../components/page";
import { Async, Empty } from "../../components/states";
import { periodStart } from "../../lib/format";
import { useAsync } from "../../lib/use-async";
import { useSession } from "../../state/session";
import { CreateKeyDialog, EditKeyDialog, RotateKeyDialog } from "./key-dialogs";
import { KeysTable } from "./keys-table";
import { SecretDialog } from "./secret-dialog";

interface KeysData {
  keys: ApiKey[];
  serviceAccounts: ServiceAccount[];
  spend: Map<string, number> | null;
}

export const KeysPage = () => {
  const { project, session } = useSession();
  const canWrite = session.permissions.write;
  const pid = project?.id ?? "";
  const state = useAsync<KeysData>(async () => {
    if (!pid) return { keys: [], serviceAccounts: [], spend: null };
    const [keys, serviceAccounts, spend] = await Promise.all([
      listAll<ApiKey>(`/v1/organization/projects/${pid}/api_keys`),
      listAll<ServiceAccount>(`/v1/organization/projects/${pid}/service_accounts`),
      spendByKey(pid, periodStart()).catch(() => null),
    ]);
    return { keys, serviceAccounts, spend };
  }, [pid]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ApiKey | null>(null);
  const [rotating, setRotating] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [secret, setSecret] = useState<{ value: string; name: string; title: string } | null>(null);

  const showSecret = (k: ApiKey, title: string) => {
    if (k.value) setSecret({ value: k.value, name: k.name, title });
    state.reload();
  };

  return (
    <Page
      title="API keys"
      description={
        <>
          Keys of <strong>{project?.name ?? "—"}</strong>. A secret is shown once, when it is created or
          rotated.
        </>
      }
      actions={
        canWrite && pid ? (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Create new secret key
          </button>
        ) : null
      }
    >
      <Async state={state} what="API keys">
        {(d) =>
          d.keys.length === 0 ? (
            <Empty>No keys in this project yet.</Empty>
          ) : (
            <KeysTable
              keys={d.keys}
              spend={d.spend}
              actions={canWrite ? { edit: setEditing, rotate: setRotating, revoke: setRevoking } : null}
            />
          )
        }
      </Async>
      {canWrite && (
        <>
          <CreateKeyDialog
            open={creating}
            projectId={pid}
            serviceAccounts={state.data?.serviceAccounts ?? []}
            onClose={() => setCreating(false)}
            onCreated={(k) => {
              setCreating(false);
              showSecret(k, "Save your key");
            }}
          />
          <EditKeyDialog
            apiKey={editing}
            projectId={pid}
            onClose={() => setEditing(null)}
            onSaved={state.reload}
          />
          <RotateKeyDialog
            apiKey={rotating}
            projectId={pid}
            onClose={() => setRotating(null)}
            onRotated={(k) => {
              setRotating(null);
              showSecret(k, "Save your new secret");
            }}
          />
          <ConfirmDialog
            open={revoking !== null}
            title="Revoke secret key"
            confirmLabel="Revoke key"
            onClose={() => setRevoking(null)}
            onConfirm={async () => {
              if (!revoking) return;
              await del(
                `/v1/organizations/${session.organization.id}/projects/${pid}/apikeys/${revoking.id}`,
              );
              state.reload();
            }}
          >
            <p>
              Revoke <strong>{revoking?.name}</strong> (<code>{revoking?.redacted_value}</code>)? Requests
              with it fail at once. This cannot be undone.
            </p>
          </ConfirmDialog>
        </>
      )}
      <SecretDialog secret={secret} title={secret?.title ?? ""} onClose={() => setSecret(null)} />
    </Page>
  );
};
