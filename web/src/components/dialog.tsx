import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef } from "preact/hooks";

interface Props {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Extra class for wide forms. */
  size?: "wide";
}

/**
 * A modal on the native <dialog>: the browser traps focus, makes the page inert and closes on
 * Escape, so keyboard and screen-reader users get the platform's behaviour.
 */
export const Dialog = ({ open, title, onClose, children, size }: Props) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const onCancel = (e: Event) => {
      e.preventDefault();
      onClose();
    };
    d.addEventListener("cancel", onCancel);
    return () => d.removeEventListener("cancel", onCancel);
  }, [onClose]);
  return (
    <dialog ref={ref} class={`dialog ${size === "wide" ? "dialog-wide" : ""}`} aria-labelledby={titleId}>
      {open && (
        <div class="dialog-body">
          <header class="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" class="icon-button" aria-label="Close dialog" onClick={onClose}>
              ×
            </button>
          </header>
          {children}
        </div>
      )}
    </dialog>
  );
};
