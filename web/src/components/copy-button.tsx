import { useState } from "preact/hooks";

/** Clipboard API where available (secure contexts), else the selection + execCommand fallback. */
export const copyText = async (text: string): Promise<boolean> => {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "offscreen";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
};

interface Props {
  text: string;
  /** What is copied, for the accessible name: "Copy organization ID". */
  what: string;
  class?: string;
}

export const CopyButton = ({ text, what, class: cls }: Props) => {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const onClick = async () => {
    setState((await copyText(text)) ? "copied" : "failed");
    window.setTimeout(() => setState("idle"), 2000);
  };
  return (
    <button
      type="button"
      class={`button button-small ${cls ?? ""}`}
      onClick={onClick}
      aria-label={`Copy ${what}`}
    >
      <span aria-hidden="true">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
      <span class="visually-hidden" role="status">
        {state === "copied"
          ? `${what} copied`
          : state === "failed"
            ? "Copy failed; select the text instead"
            : ""}
      </span>
    </button>
  );
};

/** A labelled, monospace value with a copy button (ids, links, snippets). */
export const CopyField = ({ label, value }: { label: string; value: string }) => (
  <div class="copy-field">
    <span class="copy-label">{label}</span>
    <code class="copy-value" data-testid={`value-${label.toLowerCase().replace(/\s+/g, "-")}`}>
      {value}
    </code>
    <CopyButton text={value} what={label} />
  </div>
);
