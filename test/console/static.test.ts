import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_CSP, WEB_DIST } from "../../src/http/console/static-routes.js";
import { startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
});

describe("dashboard assets", () => {
  it("serves index.html with a strict CSP, no caching and no inline script or style", async () => {
    const r = await fetch(`${s.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("text/html");
    expect(r.headers.get("content-security-policy")).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain("unsafe-inline");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(r.headers.get("cache-control")).toBe("no-cache");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("x-frame-options")).toBe("DENY");
    const html = await r.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
  });

  it("caches hashed assets for a year as immutable", async () => {
    const files = readdirSync(join(WEB_DIST, "assets"));
    const js = files.find((f) => /^index-[\w-]+\.js$/.test(f));
    expect(js).toBeDefined();
    const r = await fetch(`${s.url}/assets/${js}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("javascript");
    expect(r.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const missing = await fetch(`${s.url}/assets/nope-123.js`);
    expect(missing.status).toBe(404);
  });

  it("keeps the API's own 404 for unknown paths", async () => {
    const r = await fetch(`${s.url}/v1/nothing-here`);
    expect(r.status).toBe(404);
    expect((await r.json()).error.message).toContain("Invalid URL");
  });
});
