import { useState } from "preact/hooks";
import { post } from "../api/client";
import type { Session } from "../api/types";
import { TextField } from "../components/field";
import { Async } from "../components/states";
import { fmtDateTime } from "../lib/format";
import { navigate } from "../lib/router";
import { useAsync } from "../lib/use-async";
import { AuthLayout } from "./auth-layout";
import { NewPasswordFields, passwordReady, useSubmit } from "./password-form";

interface Preview {
  email: string;
  role: string;
  organization: { id: string; name: string };
  expires_at: number;
}

/** An invite link: shows what it offers, then creates the account with a name and password. */
export const AcceptInvitePage = ({
  token,
  onSession,
}: {
  token: string;
  onSession: (s: Session) => void;
}) => {
  const preview = useAsync(() => post<Preview>("/auth/invites/lookup", { token }), [token]);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { busy, run, errorBox } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const s = await post<Session>("/auth/invites/accept", { token, name, password });
      onSession(s);
      navigate("/");
    });
  };
  return (
    <AuthLayout title="Join your team">
      <Async state={preview} what="invite">
        {(p) => (
          <form onSubmit={submit} class="stack">
            <p>
              You are invited to <strong>{p.organization.name}</strong> as <strong>{p.role}</strong> with{" "}
              <strong>{p.email}</strong>. The link works once, until {fmtDateTime(p.expires_at)}.
            </p>
            <TextField label="Your name" autoComplete="name" value={name} onValue={setName} maxLength={256} />
            <NewPasswordFields
              password={password}
              setPassword={setPassword}
              confirm={confirm}
              setConfirm={setConfirm}
            />
            {errorBox}
            <button
              type="submit"
              class="button button-primary button-block"
              disabled={busy || !passwordReady(password, confirm)}
            >
              {busy ? "Joining…" : "Accept invite"}
            </button>
          </form>
        )}
      </Async>
    </AuthLayout>
  );
};
