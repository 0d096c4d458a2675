import { type ComponentChildren, createContext } from "preact";
import { useCallback, useContext, useEffect, useMemo, useState } from "preact/hooks";
import { get, post, setCsrfToken } from "../api/client";
import type { List, Project, Session } from "../api/types";

export interface SessionState {
  session: Session;
  projects: Project[];
  project: Project | null;
  selectProject: (id: string) => void;
  reloadProjects: () => Promise<Project[]>;
  switchOrganization: (orgId: string) => Promise<void>;
  signOut: (everywhere: boolean) => Promise<void>;
}

const Ctx = createContext<SessionState | null>(null);

export const useSession = (): SessionState => {
  const s = useContext(Ctx);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
};

const storedProjectKey = (orgId: string) => `keyplane.project.${orgId}`;

/** Every active project of the organization (they are few; pages of 100). */
const loadProjects = async (): Promise<Project[]> => {
  const out: Project[] = [];
  let after: string | null = null;
  do {
    const page: List<Project> = await get(
      `/v1/organization/projects?limit=100${after ? `&after=${after}` : ""}`,
    );
    out.push(...page.data);
    after = page.has_more ? page.last_id : null;
  } while (after);
  return out;
};

export const SessionProvider = ({
  session,
  onSession,
  onSignedOut,
  children,
}: {
  session: Session;
  onSession: (s: Session) => void;
  onSignedOut: () => void;
  children: ComponentChildren;
}) => {
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectId, setProjectId] = useState<string | null>(() =>
    localStorage.getItem(storedProjectKey(session.organization.id)),
  );

  const reloadProjects = useCallback(async () => {
    const ps = await loadProjects();
    setProjects(ps);
    return ps;
  }, []);

  useEffect(() => {
    setProjectId(localStorage.getItem(storedProjectKey(session.organization.id)));
    reloadProjects().catch(() => setProjects([]));
  }, [session.organization.id, reloadProjects]);

  const selectProject = useCallback(
    (id: string) => {
      localStorage.setItem(storedProjectKey(session.organization.id), id);
      setProjectId(id);
    },
    [session.organization.id],
  );

  const switchOrganization = useCallback(
    async (orgId: string) => {
      const s = await post<Session>("/auth/switch-organization", { organization_id: orgId });
      setCsrfToken(s.csrf_token);
      onSession(s);
    },
    [onSession],
  );

  const signOut = useCallback(
    async (everywhere: boolean) => {
      await post(everywhere ? "/auth/sign-out-everywhere" : "/auth/sign-out");
      setCsrfToken(null);
      onSignedOut();
    },
    [onSignedOut],
  );

  const value = useMemo<SessionState>(() => {
    const project = projects.find((p) => p.id === projectId) ?? projects[0] ?? null;
    return { session, projects, project, selectProject, reloadProjects, switchOrganization, signOut };
  }, [session, projects, projectId, selectProject, reloadProjects, switchOrganization, signOut]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
};
