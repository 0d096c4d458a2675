import { useState } from "preact/hooks";
import { TextField } from "../components/field";
import { ErrorBox } from "../components/states";

const MIN = 10;

/** New password + confirmation, used by set-password, invite acceptance and settings. */
export const NewPasswordFields = ({
  password,
  setPassword,
  confirm,
  setConfirm,
}: {
  password: string;
  setPassword: (v: string) => void;
  confirm: string;
  setConfirm: (v: string) => void;
}) => (
  <>
    <TextField
      label="New password"
      type="password"
      autoComplete="new-password"
      required
      minLength={MIN}
      hint={`At least ${MIN} characters. A passphrase of a few words works well.`}
      value={password}
      onValue={setPassword}
    />
    <TextField
      label="Confirm password"
      type="password"
      autoComplete="new-password"
      required
      error={confirm && confirm !== password ? "The passwords do not match." : null}
      value={confirm}
      onValue={setConfirm}
    />
  </>
);

export const passwordReady = (password: string, confirm: string): boolean =>
  password.length >= MIN && password === confirm;

/** Submit state shared by the password forms. */
export const useSubmit = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, errorBox: error ? <ErrorBox error={error} /> : null };
};
