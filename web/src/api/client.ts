/** The one way the dashboard talks to the server: same-origin JSON with the session's CSRF token. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly param: string | null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
const signedOutListeners = new Set<() => void>();

export const setCsrfToken = (t: string | null): void => {
  csrfToken = t;
};

/** Called when the server says the session is gone, so the app can return to sign-in. */
export const onSignedOut = (fn: () => void): (() => void) => {
  signedOutListeners.add(fn);
  return () => signedOutListeners.delete(fn);
};

const SESSION_GONE = new Set(["session_expired", "not_signed_in"]);

/** 401s that mean "no session" (expired, signed out elsewhere, cookie gone), not "not allowed". */
const sessionGone = (status: number, code: string | null, message: string): boolean =>
  status === 401 &&
  ((code !== null && SESSION_GONE.has(code)) || message.startsWith("You didn't provide an API key"));

export const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError("The server could not be reached. Check your connection.", 0, "network", null);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    const e = (parsed as { error?: { message?: string; code?: string | null; param?: string | null } } | null)
      ?.error;
    const err = new ApiError(
      e?.message ?? `Request failed (${res.status})`,
      res.status,
      e?.code ?? null,
      e?.param ?? null,
    );
    if (sessionGone(res.status, err.code, err.message)) for (const fn of signedOutListeners) fn();
    throw err;
  }
  return parsed as T;
};

export const get = <T>(path: string): Promise<T> => api<T>("GET", path);
export const post = <T>(path: string, body?: unknown): Promise<T> => api<T>("POST", path, body);
export const del = <T>(path: string): Promise<T> => api<T>("DELETE", path);

/** Builds a query string; arrays use `key[]=a&key[]=b`, which the server always reads as a list. */
export const qs = (params: Record<string, string | number | string[] | undefined | null>): string => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const x of v) sp.append(`${k}[]`, x);
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
};

/** The router's 404 ("Invalid URL …"): this server has no such route, as opposed to a missing record. */
export const isAbsentRoute = (e: unknown): boolean =>
  e instanceof ApiError && e.status === 404 && e.message.startsWith("Invalid URL");

/** null when the route does not exist on this server (yet); pages then say so instead of failing. */
export const orAbsent = async <T>(p: Promise<T>): Promise<T | null> => {
  try {
    return await p;
  } catch (e) {
    if (isAbsentRoute(e)) return null;
    throw e;
  }
};
