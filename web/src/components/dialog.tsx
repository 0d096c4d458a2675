import type { ComponentChildren } from "preact";
import { useEffect, useId, useLayoutEffect, useRef } from "preact/hooks";

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
  const opener = useRef<HTMLElement | null>(null);
  // Layout effect: open/close in the same frame as the render, never a painted half-state.
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      d.showModal();
    }
    if (!open && d.open) {
      d.close();
      // The content unmounts before close(), so the browser's own focus return is not reliable.
      if (opener.current?.isConnected) opener.current.focus();
    }
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
