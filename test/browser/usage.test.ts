import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser, screenshot, settled, useKey } from "../helpers/browser.js";
import { signInOwner } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let b: BrowserSession;

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

const createKey = async (name: string): Promise<{ id: string; value: string; redacted: string }> => {
  const r = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
    key: s.adminKey,
    body: { name },
  });
  return { id: r.body.id, value: r.body.value, redacted: r.body.redacted_value };
};

/** Polls the Usage API (admin key) until the key's requests are visible: metering writes in batches. */
const waitForUsage = async (keyId: string, requests: number): Promise<void> => {
  const start = Math.floor(Date.now() / 1000) - 86_400;
  for (let i = 0; i < 50; i++) {
    const r = await call(
      s.url,
      "GET",
      `/v1/organization/usage/completions?start_time=${start}&group_by[]=api_key_id&limit=2`,
      { key: s.adminKey },
    );
    const n = (r.body.data ?? [])
      .flatMap((bk: any) => bk.results)
      .filter((x: any) => x.api_key_id === keyId)
      .reduce((a: number, x: any) => a + x.num_model_requests, 0);
    if (n >= requests) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error("usage did not arrive");
};

describe("usage and spend after gateway requests", () => {
  it("the usage chart and the key's spend show the requests", async () => {
    const main = await createKey("checkout-prod");
    const other = await createKey("batch-jobs");
    for (let i = 0; i < 3; i++) expect(await useKey(s, main.value)).toBe(200);
    expect(await useKey(s, other.value)).toBe(200);
    await waitForUsage(main.id, 3);
    await waitForUsage(other.id, 1);

    const { page } = b;
    await page.goto(`${s.url}/#/usage`);
    await settled(page);
    const totals = page.getByTestId("usage-totals");
    const row = totals.locator("tr", { hasText: "checkout-prod" });
    await row.waitFor();
    expect(await row.locator("td").first().textContent()).toBe("3");
    expect(await totals.locator("tr", { hasText: "batch-jobs" }).locator("td").first().textContent()).toBe(
      "1",
    );
    expect(await page.locator(".chart canvas").count()).toBeGreaterThan(0);
    await page.getByLabel("Stack by").selectOption("model");
    await totals.locator("tr", { hasText: "gpt-4o-mini" }).locator("td").first().getByText("4").waitFor();
    await page.getByLabel("Stack by").selectOption("api_key_id");
    await row.waitFor();
    expect(await screenshot(page, "usage.png")).toBeGreaterThan(10_000);

    const costs = await call(
      s.url,
      "GET",
      `/v1/organization/costs?start_time=${Math.floor(Date.now() / 1000) - 86_400}&group_by[]=api_key_id&limit=2`,
      { key: s.adminKey },
    );
    const spent = costs.body.data
      .flatMap((bk: any) => bk.results)
      .filter((x: any) => x.api_key_id === main.id)
      .reduce((a: number, x: any) => a + Number(x.amount.value), 0);
    expect(spent).toBeGreaterThan(0);
    await page.goto(`${s.url}/#/keys`);
    const spend = page.locator("tr", { hasText: "checkout-prod" }).getByTestId("key-spend");
    await spend.waitFor();
    const shown = Number((await spend.textContent())?.replace(/[$,]/g, ""));
    expect(shown).toBeGreaterThan(0);
    expect(Math.abs(shown - spent) / spent).toBeLessThan(0.01);
    expect(b.problems).toEqual([]);
  });
});
