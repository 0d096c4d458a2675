import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, REDIS_URL, startServer, type TestServer } from "../helpers/server.js";

describe("two instances sharing PostgreSQL and Redis", () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startServer({ db: "postgres", config: { redisUrl: REDIS_URL } });
    b = await startServer({ db: "postgres", shareWith: a, config: { redisUrl: REDIS_URL } });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it("a key revoked on one instance is refused by the other on the very next request", async () => {
    const k = (
      await call(a.url, "POST", `/v1/organizations/${a.orgId}/projects/${a.projectId}/apikeys`, {
        key: a.adminKey,
        body: { name: "x" },
      })
    ).body;
    const onB = new OpenAI({ apiKey: k.value, baseURL: `${b.url}/v1`, maxRetries: 0 });
    const ask = () =>
      onB.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    expect((await ask()).choices).toHaveLength(1); // now cached on B
    await call(a.url, "DELETE", `/v1/organizations/${a.orgId}/projects/${a.projectId}/apikeys/${k.id}`, {
      key: a.adminKey,
    });
    let refused = false;
    // The eviction crosses Redis pub/sub: give it a few milliseconds, far below the cache TTL.
    for (let i = 0; i < 20 && !refused; i++) {
      refused = await ask().then(
        () => false,
        (e: unknown) => e instanceof OpenAI.AuthenticationError,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 25));
    }
    expect(refused).toBe(true);
  });
});
