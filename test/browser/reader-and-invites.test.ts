import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSession, openBrowser, readClipboard } from "../helpers/browser.js";
import { PASSWORD, signInOwner } from "../helpers/console.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

let s: TestServer;
let owner: BrowserSession;

beforeAll(async () => {
  s = await startServer();
  await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
    key: s.adminKey,
    body: { name: "billing-prod" },
  });
  owner = await openBrowser(s.url);
  const c = await signInOwner(s);
  const cookie = (c.cookie ?? "").split("=");
  await owner.context.addCookies([
    { name: cookie[0] ?? "", value: cookie[1] ?? "", url: s.url, httpOnly: true, sameSite: "Strict" },
  ]);
});
afterAll(async () => {
  await owner?.close();
  await s?.close();
});

/** Opens an invite link in a fresh browser profile and accepts it. */
const acceptInBrowser = async (link: string, name: string): Promise<BrowserSession> => {
  const b = await openBrowser(s.url);
  await b.page.goto(link);
  await b.page.getByRole("heading", { name: "Join your team" }).waitFor();
  await b.page.getByLabel("Your name").fill(name);
  await b.page.getByLabel("New password").fill(PASSWORD);
  await b.page.getByLabel("Confirm password").fill(PASSWORD);
  await b.page.getByRole("button", { name: "Accept invite" }).click();
  await b.page.getByRole("heading", { name: "Overview" }).waitFor();
  return b;
};

const inviteInUi = async (email: string, role: "reader" | "owner"): Promise<string> => {
  const { page } = owner;
  await page.goto(`${s.url}/#/members`);
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a member" });
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Organization role").selectOption(role);
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const done = page.getByRole("dialog", { name: "Invite created" });
  await done.getByRole("button", { name: "Copy Invite link" }).click();
  const link = await readClipboard(page);
  expect(await done.getByTestId("value-invite-link").textContent()).toBe(link);
  await done.getByRole("button", { name: "Done" }).click();
  return link;
};

describe("invites and the reader role in the browser", () => {
  let readerLink = "";
  let reader: BrowserSession | undefined;

  afterAll(async () => {
    await reader?.close();
  });

  it("an invite link signs a teammate up with the invited role", async () => {
    readerLink = await inviteInUi("rita@example.com", "reader");
    expect(readerLink).toMatch(new RegExp(`^${s.url}/#/invite/[A-Za-z0-9]{43}$`));
    reader = await acceptInBrowser(readerLink, "Rita Reader");
    await reader.page.getByText("Signed in as rita@example.com (reader).").waitFor();
    const users = await call(s.url, "GET", "/v1/organization/users?emails=rita@example.com", {
      key: s.adminKey,
    });
    expect(users.body.data[0]).toMatchObject({ name: "Rita Reader", role: "reader" });
    await owner.page.reload();
    await owner.page.locator("tr", { hasText: "rita@example.com" }).getByText("accepted").waitFor();
  });

  it("a reused invite link is refused", async () => {
    const b = await openBrowser(s.url);
    try {
      await b.page.goto(readerLink);
      await b.page.getByRole("alert").getByText("This invite link has already been used.").waitFor();
      expect(await b.page.getByRole("button", { name: "Accept invite" }).count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it("an expired invite link is refused", async () => {
    const inv = await call(s.url, "POST", "/v1/organization/invites", {
      key: s.adminKey,
      body: { email: "late@example.com", role: "owner", expires_in_seconds: 1 },
    });
    await new Promise((r) => setTimeout(r, 2100));
    const b = await openBrowser(s.url);
    try {
      await b.page.goto(inv.body.accept_url);
      await b.page.getByRole("alert").getByText("This invite has expired. Ask for a new one.").waitFor();
    } finally {
      await b.close();
    }
  });

  it("a reader sees the keys but no create, edit, rotate or revoke control, and the server refuses them", async () => {
    if (!reader) throw new Error("reader not signed in");
    const { page } = reader;
    await page.goto(`${s.url}/#/keys`);
    const row = page.locator("tr", { hasText: "billing-prod" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/sk-proj-\.\.\.[A-Za-z0-9]{4}/);
    for (const name of [/Create new secret key/, /^Edit /, /^Rotate /, /^Revoke /])
      expect(await page.getByRole("button", { name }).count(), String(name)).toBe(0);
    await page.goto(`${s.url}/#/members`);
    await page.locator("tr", { hasText: "owner@keyplane.local" }).waitFor();
    expect(await page.getByRole("button", { name: "Invite member" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "New project" }).count()).toBe(0);

    // The controls are only hidden for comfort: forged requests with the reader's own session fail.
    const keyId = (
      await call(s.url, "GET", `/v1/organization/projects/${s.projectId}/api_keys`, { key: s.adminKey })
    ).body.data[0].id;
    const statuses = await page.evaluate(
      async ({ pid, keyId }) => {
        const session = await (await fetch("/auth/session")).json();
        const send = (method: string, path: string, body?: unknown) =>
          fetch(path, {
            method,
            headers: {
              "x-csrf-token": session.csrf_token,
              ...(body ? { "content-type": "application/json" } : {}),
            },
            ...(body ? { body: JSON.stringify(body) } : {}),
          }).then((r) => r.status);
        return [
          await send("POST", `/v1/organization/projects/${pid}/api_keys`, { name: "sneaky" }),
          await send("POST", `/v1/organization/projects/${pid}/api_keys/${keyId}/rotate`, {}),
          await send("DELETE", `/v1/organization/projects/${pid}/api_keys/${keyId}`),
          await send("POST", "/v1/organization/invites", { email: "x@example.com", role: "owner" }),
        ];
      },
      { pid: s.projectId, keyId },
    );
    expect(statuses).toEqual([401, 401, 401, 401]);
    const keys = await call(s.url, "GET", `/v1/organization/projects/${s.projectId}/api_keys`, {
      key: s.adminKey,
    });
    expect(keys.body.data.map((k: any) => k.name)).toEqual(["billing-prod"]);
    expect(reader.problems).toEqual([]);
  });
});
