import { useEffect, useState } from "preact/hooks";

/**
 * Hash routes (`#/keys`). Tokens in invite and set-password links stay in the fragment, which
 * browsers never send to the server or in Referer headers.
 */
export const currentPath = (): string => {
  const h = window.location.hash.replace(/^#/, "");
  return h.startsWith("/") ? h : "/";
};

export const navigate = (path: string): void => {
  if (currentPath() !== path) window.location.hash = path;
};

export const useRoute = (): string => {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return path;
};

/** Matches `/invite/:token`-style patterns; returns the params or null. */
export const match = (pattern: string, path: string): Record<string, string> | null => {
  const p = pattern.split("/");
  const a = path.split("?")[0]?.split("/") ?? [];
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? "";
    const val = a[i] ?? "";
    if (seg.startsWith(":")) out[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return out;
};
