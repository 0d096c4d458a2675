import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BrowserSession,
  openBrowser,
  readClipboard,
  screenshot,
  settled,
  useKey,
} from "../helpers/browser.js";
import { PASSWORD } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let b: BrowserSession;

beforeAll(async () => {
  s = await startServer();
  b = await openBrowser(s.url);
});
afterAll(async () => {
  await b?.close();
  await s?.close();
});

/** Every bit of text and every input value on the page (where a secret could hide). */
const pageText = (): Promise<string> =>
  b.page.evaluate(
    () =>
      `${document.body.textContent}\n${Array.from(document.querySelectorAll("input, textarea"))
        .map((e) => (e as HTMLInputElement).value)
        .join("\n")}`,
  );

/** A realistic table for docs/screenshots/keys.png: a read-only key and a service account's key. */
const keysScreenshot = async (projectId: string) => {
  const base = `/v1/organization/projects/${projectId}`;
  await call(s.url, "POST", `${base}/api_keys`, {
    key: s.adminKey,
    body: { name: "analytics (read only)", scopes: ["api.all.read"], expires_in_seconds: 90 * 86400 },
  });
  await call(s.url, "POST", `${base}/service_accounts`, { key: s.adminKey, body: { name: "ci-deployer" } });
  await b.page.reload();
  await b.page.locator("tr", { hasText: "ci-deployer" }).waitFor();
  expect(await screenshot(b.page, "keys.png")).toBeGreaterThan(10_000);
};

describe("owner: sign in, project, restricted key, show-once secret, revoke", () => {
  let secret = "";
  let projectId = "";

  it("sets the first owner's password from the printed link, then signs in with it", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/set-password/${s.kp.bootstrap.ownerSetupToken}`);
    await page.getByLabel("New password").fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await page.getByLabel("Email").fill("owner@keyplane.local");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("Incorrect email or password.").waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await page.getByTestId("value-organization-id").textContent()).toBe(s.orgId);
  });

  it("creates a project and copies its id from the overview", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "New project" }).click();
    await page.getByLabel("Project name").fill("Checkout service");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await page.getByLabel("Project").locator("option:checked").textContent()).toBe("Checkout service");
    projectId = (await page.getByTestId("value-project-id").textContent()) ?? "";
    expect(projectId).toMatch(/^proj_/);
    await page.getByRole("button", { name: "Copy Project ID" }).click();
    expect(await readClipboard(page)).toBe(projectId);
    const api = await call(s.url, "GET", `/v1/organization/projects/${projectId}`, { key: s.adminKey });
    expect(api.body.name).toBe("Checkout service");
  });

  it("creates a restricted key and copies the secret from the show-once dialog", async () => {
    const { page } = b;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await page.getByText("No keys in this project yet.").waitFor();
    await page.getByRole("button", { name: "Create new secret key" }).click();
    const dialog = page.getByRole("dialog", { name: "Create a secret key" });
    await dialog.getByLabel("Name").fill("checkout-prod");
    await dialog.getByRole("radio", { name: "Restricted" }).check();
    await dialog
      .getByLabel("Model capabilities (chat, completions, embeddings, images, audio)")
      .selectOption("write");
    await dialog.getByLabel("Models (list and retrieve)").selectOption("read");
    await dialog.getByLabel("Allowed models").fill("gpt-4o-mini");
    await dialog.getByLabel("Requests per minute").fill("60");
    await dialog.getByLabel("Budget (USD per month)").fill("25");
    await dialog.getByRole("button", { name: "Create secret key" }).click();

    const shown = page.getByRole("dialog", { name: "Save your key" });
    await shown.getByText("it will not be shown again").waitFor();
    await shown.getByRole("button", { name: "Copy secret key" }).click();
    secret = await readClipboard(page);
    expect(secret).toMatch(/^sk-proj-[A-Za-z0-9]{54}$/);
    expect(await shown.getByLabel(/Secret key for/).inputValue()).toBe(secret);

    const keys = await call(s.url, "GET", `/v1/organization/projects/${projectId}/api_keys`, {
      key: s.adminKey,
    });
    expect(keys.body.data).toHaveLength(1);
    expect(keys.body.data[0]).toMatchObject({
      name: "checkout-prod",
      scopes: ["api.model.read", "model.request"],
      models: ["gpt-4o-mini"],
      limits: { rpm: 60 },
      budget_usd: 25,
      owner: { type: "user", user: { email: "owner@keyplane.local" } },
    });
    expect(await useKey(s, secret)).toBe(200);
  });

  it("never shows the secret again once the dialog is closed", async () => {
    const { page } = b;
    await page.getByRole("button", { name: "I have saved it" }).click();
    const row = page.locator("tr", { hasText: "checkout-prod" });
    await row.waitFor();
    expect(await row.textContent()).toContain(`sk-proj-...${secret.slice(-4)}`);
    expect(await pageText()).not.toContain(secret);
    await keysScreenshot(projectId);
    await row.getByRole("button", { name: "Edit checkout-prod" }).click();
    expect(await pageText()).not.toContain(secret);
    await page.keyboard.press("Escape");
    for (const path of [
      "/",
      "/keys",
      "/service-accounts",
      "/members",
      "/limits",
      "/usage",
      "/audit",
      "/settings",
    ]) {
      await page.goto(`${s.url}/#${path}`);
      await page.reload();
      await page.locator("#page-title").waitFor();
      await settled(page);
      expect(await pageText(), path).not.toContain(secret);
      expect(await page.content(), path).not.toContain(secret.slice(8));
    }
  });

  let rotated = "";

  it("rotates with a grace period (both secrets work) and edits the key's permissions", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/keys`);
    await page.getByRole("button", { name: "Rotate checkout-prod" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate “checkout-prod”" });
    await dialog.getByLabel("Old secret keeps working for").selectOption("3600");
    await dialog.getByRole("button", { name: "Rotate key" }).click();
    const shown = page.getByRole("dialog", { name: "Save your new secret" });
    rotated = await shown.getByLabel(/Secret key for/).inputValue();
    expect(rotated).toMatch(/^sk-proj-/);
    expect(rotated).not.toBe(secret);
    await shown.getByRole("button", { name: "I have saved it" }).click();
    expect(await useKey(s, rotated)).toBe(200);
    expect(await useKey(s, secret)).toBe(200);

    await page.getByRole("button", { name: "Edit checkout-prod" }).click();
    const edit = page.getByRole("dialog", { name: "Edit “checkout-prod”" });
    // The dialog fills its form in an effect after it opens: wait for it rather than read once.
    await expect.poll(() => edit.getByLabel("Allowed models").inputValue()).toBe("gpt-4o-mini");
    await edit.getByRole("radio", { name: "Read only" }).check();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "hidden" });
    await page.locator("tr", { hasText: "checkout-prod" }).getByText("Read only").waitFor();
    const keys = await call(s.url, "GET", `/v1/organization/projects/${projectId}/api_keys`, {
      key: s.adminKey,
    });
    const k = keys.body.data.find((x: any) => x.name === "checkout-prod");
    expect(k.scopes).toEqual(["api.all.read"]);
    expect(k.limits.rpm).toBe(60);
    expect(await useKey(s, rotated)).not.toBe(200);
  });

  it("revoking in the UI makes the very next request with the key fail with 401", async () => {
    const { page } = b;
    await page.goto(`${s.url}/#/keys`);
    await page.getByRole("button", { name: "Revoke checkout-prod" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke secret key" });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect(await useKey(s, secret)).toBe(401);
    expect(await useKey(s, rotated)).toBe(401);
    await page.locator("tr", { hasText: "checkout-prod" }).waitFor({ state: "detached" });
    expect(b.problems).toEqual([]);
  });
});
