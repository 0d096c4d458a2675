import { useEffect, useRef } from "preact/hooks";
import { AuditPage } from "../pages/audit";
import { KeysPage } from "../pages/keys/keys-page";
import { MembersPage } from "../pages/members/members-page";
import { OverviewPage } from "../pages/overview";
import { RateLimitsPage } from "../pages/rate-limits";
import { ServiceAccountsPage } from "../pages/service-accounts";
import { SettingsPage } from "../pages/settings";
import { UsageRoute } from "../pages/usage/usage-route";
import { Switchers } from "./switchers";

const NAV = [
  { path: "/", label: "Overview" },
  { path: "/keys", label: "API keys" },
  { path: "/service-accounts", label: "Service accounts" },
  { path: "/members", label: "Members" },
  { path: "/limits", label: "Limits" },
  { path: "/usage", label: "Usage" },
  { path: "/audit", label: "Audit log" },
  { path: "/settings", label: "Settings" },
] as const;

const pageFor = (path: string) => {
  switch (path) {
    case "/":
      return <OverviewPage />;
    case "/keys":
      return <KeysPage />;
    case "/service-accounts":
      return <ServiceAccountsPage />;
    case "/members":
      return <MembersPage />;
    case "/limits":
      return <RateLimitsPage />;
    case "/usage":
      return <UsageRoute />;
    case "/audit":
      return <AuditPage />;
    case "/settings":
      return <SettingsPage />;
    default:
      return (
        <section class="page">
          <h1 id="page-title">Not found</h1>
          <p>
            There is no page at <code>{path}</code>. <a href="#/">Go to the overview</a>.
          </p>
        </section>
      );
  }
};

export const Shell = ({ path }: { path: string }) => {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After in-app navigation, move focus to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById("page-title")?.focus();
  }, [path]);
  return (
    <div class="shell">
      <button type="button" class="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true">
            K
          </span>
          Keyplane
        </a>
        <Switchers />
      </header>
      <div class="layout">
        <nav class="sidebar" aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a href={`#${n.path}`} aria-current={path === n.path ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1} class="main">
          {pageFor(path)}
        </main>
      </div>
    </div>
  );
};
