import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Built by `npm run build:web` (Vite) from web/; the same path from src/ and dist/. */
export const WEB_DIST = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** No inline script or style anywhere: everything comes from hashed files on this origin. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = (reply: FastifyReply): FastifyReply =>
  reply
    .header("content-security-policy", CONSOLE_CSP)
    .header("x-content-type-options", "nosniff")
    .header("x-frame-options", "DENY")
    .header("referrer-policy", "no-referrer")
    .header("cross-origin-opener-policy", "same-origin")
    .header("permissions-policy", "camera=(), microphone=(), geolocation=(), clipboard-write=(self)");

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Keyplane</title></head>
<body><h1>Keyplane</h1><p>The dashboard has not been built. Run <code>npm run build</code>, then reload.
The admin API and the gateway work without it; see <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * The dashboard at `/`: index.html is revalidated on every load, hashed assets are cached for a
 * year. Hash routing (`/#/keys`) keeps invite and set-password tokens out of URLs the server sees.
 */
export const registerConsoleStatic = async (app: FastifyInstance, root = WEB_DIST): Promise<void> => {
  let index: string | null = null;
  const page = async (_req: unknown, reply: FastifyReply) => {
    const file = `${root}index.html`;
    if (index === null && existsSync(file)) index = readFileSync(file, "utf8");
    return securityHeaders(reply)
      .code(index === null ? 503 : 200)
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(index ?? NOT_BUILT);
  };
  app.get("/", page);
  app.get("/index.html", page);
  const assets = `${root}assets`;
  if (!existsSync(assets)) return;
  await app.register(fastifyStatic, {
    root: assets,
    prefix: "/assets/",
    decorateReply: false,
    index: false,
    wildcard: true,
    cacheControl: false,
    setHeaders: (res) => {
      res.setHeader("cache-control", "public, max-age=31536000, immutable");
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("content-security-policy", CONSOLE_CSP);
    },
  });
};
