import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/storage/open.js";
import { type ChildServer, spawnServer } from "../helpers/child-server.js";

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) c.child.kill("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("usage survives SIGKILL", () => {
  // Twelve clients share journal writes; a lone client's request is journaled on its own.
  it.each([12, 1])(
    "every response a client received has exactly one usage event after a kill mid-load and a restart (%i clients)",
    async (clients) => {
      const cwd = mkdtempSync(join(tmpdir(), "keyplane-crash-"));
      dirs.push(cwd);
      const env = { KEYPLANE_SECRET: "crash-test-secret-0123456789", KEYPLANE_LOG_LEVEL: "info" };
      const first = await spawnServer(cwd, env);
      children.push(first);
      const adminKey = /\n\s+(sk-admin-[0-9A-Za-z]+)\n/.exec(first.out())?.[1] ?? "";
      const orgId = /organization: (org-\S+)/.exec(first.out())?.[1] ?? "";
      const projectId = /project:\s+(proj_\S+)/.exec(first.out())?.[1] ?? "";
      const created = await fetch(`${first.url}/v1/organizations/${orgId}/projects/${projectId}/apikeys`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "load" }),
      });
      const key = ((await created.json()) as { value: string }).value;

      const received = new Map<string, { prompt_tokens: number; completion_tokens: number }>();
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop && i < 100_000; i++) {
          try {
            const r = await fetch(`${first.url}/v1/chat/completions`, {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify({
                model: "gpt-4o-mini",
                messages: [{ role: "user", content: `worker ${w} request ${i}` }],
              }),
            });
            const body = (await r.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
            if (r.status === 200) received.set(r.headers.get("x-request-id") ?? "", body.usage);
          } catch {
            return; // the server died under us
          }
        }
      };
      const load = Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
      for (let t = 0; received.size < 300 && t < 500; t++) await new Promise((r) => setTimeout(r, 20));
      first.child.kill("SIGKILL");
      await first.exited;
      stop = true;
      await load;
      expect(received.size).toBeGreaterThanOrEqual(300);

      // The restart replays the dead process's journal; a graceful stop commits the rest.
      for (let run = 0; run < 2; run++) {
        const again = await spawnServer(cwd, env);
        children.push(again);
        again.child.kill("SIGTERM");
        expect(await again.exited).toBe(0);
      }

      const store = await openStore({ dataDir: join(cwd, "data") });
      try {
        const events = await store.usage.listRange(orgId, 0, Date.now() + 1000);
        const ids = events.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        const byId = new Map(events.map((e) => [e.id, e]));
        const missing = [...received.keys()].filter((id) => !byId.has(id));
        expect(missing).toEqual([]);
        for (const [id, u] of received) {
          expect(byId.get(id)?.inputTokens).toBe(u.prompt_tokens);
          expect(byId.get(id)?.outputTokens).toBe(u.completion_tokens);
        }
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
