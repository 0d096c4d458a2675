import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

/** The centred card the signed-out pages share. */
export const AuthLayout = ({ title, children }: { title: string; children: ComponentChildren }) => {
  useEffect(() => {
    document.title = `${title} · Keyplane`;
  }, [title]);
  return (
    <main class="center-page">
      <div class="auth-card">
        <p class="brand brand-large">
          <span class="brand-mark" aria-hidden="true">
            K
          </span>
          Keyplane
        </p>
        <h1 id="page-title">{title}</h1>
        {children}
      </div>
    </main>
  );
};
