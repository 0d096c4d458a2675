import { useState } from "preact/hooks";
import { post } from "../api/client";
import { CopyField } from "../components/copy-button";
import { TextField } from "../components/field";
import { Page, Section } from "../components/page";
import { useSession } from "../state/session";
import { NewPasswordFields, passwordReady, useSubmit } from "./password-form";

export const SettingsPage = () => {
  const s = useSession();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [done, setDone] = useState(false);
  const { busy, run, errorBox } = useSubmit();
  const change = (e: Event) => {
    e.preventDefault();
    setDone(false);
    run(async () => {
      await post("/auth/password", { current_password: current, new_password: password });
      setCurrent("");
      setPassword("");
      setConfirm("");
      setDone(true);
    });
  };
  return (
    <Page title="Settings">
      <Section title="Your account">
        <dl class="facts">
          <dt>Name</dt>
          <dd>{s.session.user.name}</dd>
          <dt>Email</dt>
          <dd>{s.session.user.email}</dd>
          <dt>Role</dt>
          <dd>{s.session.user.role}</dd>
        </dl>
        <CopyField label="User ID" value={s.session.user.id} />
      </Section>
      <Section title="Organization">
        <dl class="facts">
          <dt>Name</dt>
          <dd>{s.session.organization.name}</dd>
        </dl>
        <CopyField label="Organization ID" value={s.session.organization.id} />
      </Section>
      <Section title="Change password">
        <form onSubmit={change} class="stack narrow">
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onValue={setCurrent}
          />
          <NewPasswordFields
            password={password}
            setPassword={setPassword}
            confirm={confirm}
            setConfirm={setConfirm}
          />
          {errorBox}
          {done && (
            <p class="success" role="status">
              Password changed. Your other sessions were signed out.
            </p>
          )}
          <button
            type="submit"
            class="button button-primary"
            disabled={busy || !current || !passwordReady(password, confirm)}
          >
            Change password
          </button>
        </form>
      </Section>
      <Section title="Sessions">
        <p>Signed in on a shared or lost device? End every session of your account, this one included.</p>
        <button type="button" class="button button-danger" onClick={() => s.signOut(true)}>
          Sign out everywhere
        </button>
      </Section>
    </Page>
  );
};
