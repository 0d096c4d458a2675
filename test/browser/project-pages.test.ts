import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser, settled, useKey } from "../helpers/browser.js";
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

const api = (path: string) =>
  call(s.url, "GET", `/v1/organization/projects/${s.projectId}${path}`, { key: s.adminKey });

describe("project pages", () => {
  it("edits a model's rate limits, sets the project budget and adds a spend alert", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/limits`);
    await settled(page);
    await page.getByRole("button", { name: "Edit limits of gpt-4o-mini" }).click();
    const dialog = page.getByRole("dialog", { name: "Limits for gpt-4o-mini" });
    await dialog.getByLabel("Requests per minute").fill("120");
    await dialog.getByLabel("Tokens per minute").fill("50000");
    await dialog.getByRole("button", { name: "Save limits" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.locator("tr", { hasText: "gpt-4o-mini" }).getByText("50,000").waitFor();
    const limits = await api("/rate_limits?limit=100");
    expect(limits.body.data.find((r: any) => r.model === "gpt-4o-mini")).toMatchObject({
      max_requests_per_1_minute: 120,
      max_tokens_per_1_minute: 50000,
    });

    await page.getByLabel("Monthly budget (USD)").fill("25");
    await page.getByRole("button", { name: "Set budget" }).click();
    await page.getByText("Hard limit:").waitFor();
    expect((await api("/spend_limit")).body).toMatchObject({ threshold_amount: 2500, interval: "month" });

    await page.getByLabel("Alert at (USD per month)").fill("10");
    await page.getByLabel("Email recipients").fill("ops@example.com");
    await page.getByRole("button", { name: "Add alert" }).click();
    await page.getByText("ops@example.com").waitFor();
    const alerts = await api("/spend_alerts");
    expect(alerts.body.data[0]).toMatchObject({
      threshold_amount: 1000,
      notification_channel: { recipients: ["ops@example.com"] },
    });
    expect(b.problems).toEqual([]);
  });

  it("creates a service account whose first key is shown once and works; the keys page lists it", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/service-accounts`);
    await page.getByRole("button", { name: "Create service account" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a service account" });
    await dialog.getByLabel("Name").fill("nightly-export");
    await dialog.getByRole("button", { name: "Create" }).click();
    const shown = page.getByRole("dialog", { name: "Save the service account's key" });
    const secret = await shown.getByLabel(/Secret key for/).inputValue();
    expect(secret).toMatch(/^sk-svcacct-/);
    await shown.getByRole("button", { name: "I have saved it" }).click();
    expect(await useKey(s, secret)).toBe(200);
    await page.locator("tr", { hasText: "nightly-export" }).waitFor();
    await page.goto(`${s.url}/#/keys`);
    await page.locator("tr", { hasText: "nightly-export" }).getByText("service account").waitFor();
    expect(await page.content()).not.toContain(secret);
  });
});
