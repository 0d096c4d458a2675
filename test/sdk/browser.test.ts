import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../cli/run-cli.js";
import { startServer, type TestServer } from "../helpers/server.js";

const CHROMIUM = process.env.KEYPLANE_CHROMIUM ?? "/usr/bin/chromium";
const SDK_DIR = join(process.cwd(), "dist", "sdk");

/**
 * The built SDK (dist/sdk, exactly what `keyplane/sdk` exports) loaded as ES modules by Chromium
 * and used against a real server. One origin serves the modules and proxies /v1 to Keyplane, as a
 * dashboard or an internal tool would.
 */
describe("SDK in a browser", () => {
  let s: TestServer;
  let origin: Server;
  let base = "";
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer();
    origin = createServer(async (req, res) => {
      const url = req.url ?? "/";
      if (url === "/") {
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>sdk</title>");
        return;
      }
      if (url.startsWith("/sdk/")) {
        const file = normalize(join(SDK_DIR, url.slice(5)));
        if (!file.startsWith(SDK_DIR) || !file.endsWith(".js")) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(file));
        return;
      }
      let body = "";
      for await (const c of req) body += String(c);
      const headers: Record<string, string> = {};
      for (const h of ["authorization", "content-type", "accept"]) {
        const v = req.headers[h];
        if (typeof v === "string") headers[h] = v;
      }
      const up = await fetch(`${s.url}${url}`, {
        method: req.method ?? "GET",
        headers,
        ...(body ? { body } : {}),
      });
      res.writeHead(up.status, {
        "content-type": "application/json",
        "x-request-id": up.headers.get("x-request-id") ?? "",
      });
      res.end(await up.text());
    });
    await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => origin?.close(r));
    await s?.close();
  });

  it("creates a project and a key, pages through keys, and raises typed errors", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base);
    // A string, not a function: vitest would rewrite a dynamic import() inside a function.
    const script = `(async (key) => {
      const sdk = await import(location.origin + "/sdk/index.js");
      const kp = new sdk.KeyplaneClient({ baseURL: location.origin, adminKey: key });
      const project = await kp.projects.create({ name: "from the browser" });
      for (const name of ["a", "b", "c"]) await kp.keys.create(project.id, { name });
      const names = [];
      for await (const k of kp.keys.list(project.id, { limit: 2 })) names.push(k.name);
      const bad = new sdk.KeyplaneClient({ baseURL: location.origin, adminKey: "sk-admin-wrong", maxRetries: 0 });
      const err = await bad.projects.list().firstPage().catch((e) => e);
      return {
        names,
        isAuthError: err instanceof sdk.AuthenticationError,
        status: err.status,
        requestId: err.requestId,
        hasProcess: typeof globalThis.process !== "undefined",
      };
    })(${JSON.stringify(s.adminKey)})`;
    const result = (await page.evaluate(script)) as {
      names: string[];
      isAuthError: boolean;
      status: number;
      requestId: string;
      hasProcess: boolean;
    };
    expect(result.names.sort()).toEqual(["a", "b", "c"]);
    expect(result.isAuthError).toBe(true);
    expect(result.status).toBe(401);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.hasProcess).toBe(false);
    expect(errors).toEqual([]);
  });
});
