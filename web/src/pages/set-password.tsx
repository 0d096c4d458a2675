import { useState } from "preact/hooks";
import { post } from "../api/client";
import type { Session } from "../api/types";
import { navigate } from "../lib/router";
import { AuthLayout } from "./auth-layout";
import { NewPasswordFields, passwordReady, useSubmit } from "./password-form";

/** Redeems a one-time set-password link (first owner, or one an owner issued). */
export const SetPasswordPage = ({ token, onSession }: { token: string; onSession: (s: Session) => void }) => {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const { busy, run, errorBox } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const s = await post<Session>("/auth/set-password", { token, password });
      onSession(s);
      navigate("/");
    });
  };
  return (
    <AuthLayout title="Set your password">
      <p>This link works once. After this you sign in with your email and this password.</p>
      <form onSubmit={submit} class="stack">
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
          {busy ? "Saving…" : "Set password and sign in"}
        </button>
      </form>
    </AuthLayout>
  );
};
