import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { get, onSignedOut, setCsrfToken } from "./api/client";
import type { Session } from "./api/types";
import { Loading } from "./components/states";
import { Shell } from "./layout/shell";
import { match, navigate, useRoute } from "./lib/router";
import { AcceptInvitePage } from "./pages/accept-invite";
import { SetPasswordPage } from "./pages/set-password";
import { SignInPage } from "./pages/sign-in";
import { SessionProvider } from "./state/session";

export const App = () => {
  const path = useRoute();
  /** undefined while the first /auth/session answers; null = signed out. */
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  const signedIn = useRef(false);
  const adopt = useCallback((s: Session) => {
    setCsrfToken(s.csrf_token);
    signedIn.current = true;
    setSession(s);
  }, []);
  // Only a session that existed can end; the first /auth/session check answering 401 is not a sign-out.
  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setSession(null);
    if (signedIn.current) navigate("/sign-in");
    signedIn.current = false;
  }, []);

  useEffect(() => {
    get<Session>("/auth/session").then(adopt, () => setSession(null));
  }, [adopt]);
  useEffect(() => onSignedOut(signedOut), [signedOut]);

  const invite = match("/invite/:token", path);
  if (invite?.token) return <AcceptInvitePage token={invite.token} onSession={adopt} />;
  const setPw = match("/set-password/:token", path);
  if (setPw?.token) return <SetPasswordPage token={setPw.token} onSession={adopt} />;

  if (session === undefined)
    return (
      <main class="center-page">
        <Loading what="Keyplane" />
      </main>
    );
  if (session === null) return <SignInPage onSession={adopt} />;
  if (path === "/sign-in") navigate("/");
  return (
    <SessionProvider session={session} onSession={adopt} onSignedOut={signedOut}>
      <Shell path={path} />
    </SessionProvider>
  );
};
