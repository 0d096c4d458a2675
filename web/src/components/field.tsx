import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { useId } from "preact/hooks";

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | null;
  children: (id: string, describedBy: string | undefined) => ComponentChildren;
}

/** Label, control, hint and error wired together with for/id and aria-describedby. */
export const Field = ({ label, hint, error, children }: FieldProps) => {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = error ? `${id}-err` : undefined;
  const describedBy = [hintId, errId].filter(Boolean).join(" ") || undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children(id, describedBy)}
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
};

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "label" | "onInput" | "value"> & {
  label: string;
  hint?: string;
  error?: string | null;
  value: string;
  onValue: (v: string) => void;
};

export const TextField = ({ label, hint, error, value, onValue, ...rest }: InputProps) => (
  <Field label={label} {...(hint ? { hint } : {})} error={error ?? null}>
    {(id, describedBy) => (
      <input
        id={id}
        class="input"
        value={value}
        aria-describedby={describedBy}
        aria-invalid={error ? "true" : undefined}
        onInput={(e) => onValue((e.target as HTMLInputElement).value)}
        {...rest}
      />
    )}
  </Field>
);
