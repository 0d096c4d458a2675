import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

/** Page heading, an optional description and actions; sets the document title. */
export const Page = ({
  title,
  description,
  actions,
  children,
}: {
  title: string;
  description?: ComponentChildren;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) => {
  useEffect(() => {
    document.title = `${title} · Keyplane`;
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            {title}
          </h1>
          {description && <p class="page-description">{description}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
};

export const Section = ({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) => (
  <section class="card">
    <header class="card-header">
      <h2>{title}</h2>
      {actions}
    </header>
    {children}
  </section>
);
