import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser, settled } from "../helpers/browser.js";
import { signInOwner } from "../helpers/console.js";
import { startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let b: BrowserSession;
const PAGES = ["/", "/keys", "/service-accounts", "/members", "/limits", "/usage", "/audit", "/settings"];

beforeAll(async () => {
  s = await startServer();
  b = await openBrowser(s.url);
  const [name = "", value = ""] = ((await signInOwner(s)).cookie ?? "").split("=");
  await b.context.addCookies([{ name, value, url: s.url, httpOnly: true, sameSite: "Strict" }]);
});
afterAll(async () => {
  await b?.close();
  await s?.close();
});

/** Form controls without a label (for/id, wrapping label or aria-label). */
const unlabelled = (): Promise<string[]> =>
  b.page.evaluate(() =>
    Array.from(document.querySelectorAll("input, select, textarea"))
      .filter((e) => {
        const el = e as HTMLInputElement;
        return el.type !== "hidden" && !el.labels?.length && !el.getAttribute("aria-label");
      })
      .map((e) => e.outerHTML.slice(0, 80)),
  );

describe("accessibility and layout", () => {
  it("every page loads without errors or CSP violations and labels every control", async () => {
    for (const path of PAGES) {
      await b.page.goto(`${s.url}/#${path}`);
      await b.page.locator("#page-title").waitFor();
      await settled(b.page);
      expect(await unlabelled(), path).toEqual([]);
      expect(await b.page.locator(".error-box").count(), path).toBe(0);
    }
    expect(b.problems).toEqual([]);
  });

  it("filters the audit log by event type", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/audit`);
    await settled(page);
    await page.getByLabel("Event type").selectOption("login.succeeded");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await settled(page);
    const types = await page.locator("tbody th[scope=row] code").allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(["login.succeeded"]));
    await page.getByLabel("Event type").selectOption("invite.sent");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("No events match these filters.").waitFor();
  });

  it("the key dialog works from the keyboard alone", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/keys`);
    await page.getByRole("button", { name: "Create new secret key" }).waitFor();
    let focused = "";
    for (let i = 0; i < 40 && focused !== "Create new secret key"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
    }
    expect(focused).toBe("Create new secret key");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Create a secret key" });
    await dialog.waitFor();
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("dialog")))).toBe(true);
    expect(await unlabelled()).toEqual([]);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.waitForFunction(() => document.activeElement?.textContent?.trim() === "Create new secret key");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      "Create new secret key",
    );
  });

  it("reads at phone width: no sideways scrolling, navigation reachable", async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/", "/keys", "/members", "/audit"]) {
      await page.goto(`${s.url}/#${path}`);
      await page.locator("#page-title").waitFor();
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings" }).waitFor();
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
