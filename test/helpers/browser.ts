import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { call, type TestServer } from "./server.js";

export const CHROMIUM = process.env.KEYPLANE_CHROMIUM ?? "/usr/bin/chromium";
/**
 * Every run writes its screenshots; only KEYPLANE_UPDATE_SCREENSHOTS=1 writes them over the
 * committed ones in docs/screenshots (so a plain `npm test` leaves the work tree clean).
 */
export const SCREENSHOTS = process.env.KEYPLANE_UPDATE_SCREENSHOTS
  ? join(process.cwd(), "docs", "screenshots")
  : join(process.cwd(), "test-results", "screenshots");

/** Flags that work in this container: no sandbox, no GPU, nothing that phones home. */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own cookies and storage) on the server's origin. */
export const openBrowser = async (
  url: string,
  viewport = { width: 1280, height: 860 },
): Promise<BrowserSession> => {
  const dir = mkdtempSync(join(tmpdir(), "keyplane-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: "en-US",
    timezoneId: "UTC",
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on("console", (m) => {
    // 4xx answers the UI handles (e.g. a refused write) are logged by Chromium as resource errors.
    if (m.type() === "error" && !/the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Writes a full-page PNG and returns its size in bytes (tests assert it was written). */
export const screenshot = async (page: Page, name: string): Promise<number> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const png = await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  return png.length;
};

/** Status of one chat completion through the gateway with `secret` (the echo upstream answers). */
export const useKey = async (s: TestServer, secret: string): Promise<number> => {
  const r = await call(s.url, "POST", "/v1/chat/completions", {
    key: secret,
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hello" }] },
  });
  if (r.status === 200 && !Array.isArray(r.body.choices)) throw new Error("not a chat completion");
  return r.status;
};

export const readClipboard = (page: Page): Promise<string> =>
  page.evaluate(() => navigator.clipboard.readText());

/** Waits until no section shows a loading indicator (every data request of the page answered). */
export const settled = async (page: Page): Promise<void> => {
  await page.waitForFunction(
    () => document.querySelector("#page-title") && !document.querySelector(".loading"),
  );
};
