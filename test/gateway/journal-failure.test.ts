import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUpstream, fakeProvider, startFakeUpstream } from "../helpers/fake-upstream.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

/**
 * A usage event that cannot reach the journal (a full or failing disk) must not be answered as if
 * it were metered, and must not leak the request's reservation. A request alone in flight writes
 * its event at once; concurrent ones share a write at the end of the turn: both paths are covered.
 */
describe("a usage event the journal refuses", () => {
  let up: FakeUpstream;
  let s: TestServer;
  let key: string;

  const chat = (stream = false) =>
    call(s.url, "POST", "/v1/chat/completions", {
      key,
      body: { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream },
    });

  /** Runs `fn` while every journal write throws, as a disk error would. */
  const withBrokenJournal = async <T>(fn: () => Promise<T>): Promise<T> => {
    const meter = s.kp.meter;
    const append = meter.append.bind(meter);
    const appendSync = meter.appendSync.bind(meter);
    meter.append = () => Promise.reject(new Error("ENOSPC: no space left on device, write"));
    meter.appendSync = () => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    };
    try {
      return await fn();
    } finally {
      meter.append = append;
      meter.appendSync = appendSync;
    }
  };

  /** Both of the key's two concurrency slots are free: a leaked one would make these 429. */
  const twoAdmitted = async (stream = false) => {
    const [a, b] = await Promise.all([chat(stream), chat(stream)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    return a;
  };

  beforeAll(async () => {
    up = await startFakeUpstream();
    s = await startServer({
      config: {
        models: ["gpt-4o"],
        upstreams: [fakeProvider(up.url)],
        routes: [{ match: "*", upstream: "fake", fallbacks: [] }],
      },
    });
    const k = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/api_keys`, {
      key: s.adminKey,
      body: { name: "journal", limits: { max_concurrent: 2 } },
    });
    expect(k.status).toBe(200);
    key = k.body.value;
  });
  afterAll(async () => {
    await s.close();
    await up.close();
  });

  it("answers a lone request with OpenAI's 500 body and frees its concurrency slot", async () => {
    await withBrokenJournal(async () => {
      for (let i = 0; i < 3; i++) {
        const r = await chat();
        expect(r.status).toBe(500);
        expect(r.body.error).toMatchObject({ type: "server_error" });
        expect(typeof r.body.error.message).toBe("string");
      }
    });
    // Three refused requests with a cap of two in flight.
    await twoAdmitted();
  });

  it("fails concurrent requests that share a write, and frees their slots", async () => {
    const rs = await withBrokenJournal(() => Promise.all([chat(), chat()]));
    expect(rs.map((r) => r.status)).toEqual([500, 500]);
    await twoAdmitted();
  });

  it("cuts a stream short instead of ending it as if metered, and frees its slot", async () => {
    // The cut may come before or after fetch sees the headers: either way no complete stream.
    const text = await withBrokenJournal(() =>
      fetch(`${s.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true }),
      }).then(
        (res) => res.text(),
        (err: unknown) => `cut: ${String(err)}`,
      ),
    ).catch((err: unknown) => `cut: ${String(err)}`);
    expect(text).not.toContain("data: [DONE]");
    const a = await twoAdmitted(true);
    expect(String(a.body)).toContain("data: [DONE]");
  });
});
