import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorBox, Loading } from "../../components/states";

/** The usage page pulls in the charting library, so it loads on first visit, not with the app. */
export const UsageRoute = () => {
  const [Page, setPage] = useState<FunctionComponent | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    import("./usage-page").then(
      (m) => setPage(() => m.UsagePage),
      (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))),
    );
  }, []);
  if (error) return <ErrorBox error={error} />;
  return Page ? <Page /> : <Loading what="usage" />;
};
