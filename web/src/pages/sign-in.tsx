import { useState } from "preact/hooks";
import { post } from "../api/client";
import type { Session } from "../api/types";
import { TextField } from "../components/field";
import { ErrorBox } from "../components/states";
import { AuthLayout } from "./auth-layout";

export const SignInPage = ({ onSession }: { onSession: (s: Session) => void }) => {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await post<Session>("/auth/sign-in", { email, password }));
      if (window.location.hash === "#/sign-in") window.location.hash = "#/";
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setBusy(false);
    }
  };
  return (
    <AuthLayout title="Sign in">
      <form onSubmit={submit} class="stack">
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        {error && <ErrorBox error={error} />}
        <button type="submit" class="button button-primary button-block" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p class="hint">
        First start? Open the one-time link the server printed, or ask an owner for an invite.
      </p>
    </AuthLayout>
  );
};
