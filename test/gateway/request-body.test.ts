import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

/** Reads whole HTTP responses (content-length bodies) off one raw socket, in order. */
const responses = (socket: Socket) => {
  let buf = Buffer.alloc(0);
  const waiting: (() => void)[] = [];
  socket.on("data", (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (const w of waiting.splice(0)) w();
  });
  const next = async (): Promise<{ status: number; body: any }> => {
    for (;;) {
      const end = buf.indexOf("\r\n\r\n");
      if (end !== -1) {
        const head = buf.subarray(0, end).toString("latin1");
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
        if (buf.length >= end + 4 + length) {
          const body = buf.subarray(end + 4, end + 4 + length).toString("utf8");
          buf = buf.subarray(end + 4 + length);
          return { status: Number(head.split(" ")[1]), body: JSON.parse(body) };
        }
      }
      await new Promise<void>((r) => waiting.push(r));
    }
  };
  return next;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The gateway takes a body that is already buffered at once and streams any other: both ways must
 * read every byte, and leave a keep-alive connection ready for the next request.
 */
describe("the gateway reads request bodies however they arrive", () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startServer();
    key = (
      await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
        key: s.adminKey,
        body: { name: "body" },
      })
    ).body.value;
  });
  afterAll(async () => {
    await s.close();
  });

  const body = (word: string) =>
    JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `say ${word} ${"é".repeat(40)}` }],
    });
  const head = (extra: string) =>
    `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\n${extra}\r\n`;
  const whole = (b: string) => `${head(`Content-Length: ${Buffer.byteLength(b)}\r\n`)}${b}`;

  it("in one write, split across writes, chunked and pipelined, on one connection", async () => {
    const port = Number(new URL(s.url).port);
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    const next = responses(socket);
    const answers: any[] = [];

    socket.write(whole(body("one")));
    answers.push(await next());

    // Headers first, the body in two pieces a moment later (cut inside a multi-byte character).
    const split = Buffer.from(body("two"));
    socket.write(head(`Content-Length: ${split.length}\r\n`));
    await sleep(20);
    socket.write(split.subarray(0, 30));
    await sleep(20);
    socket.write(split.subarray(30));
    answers.push(await next());

    const chunked = body("three");
    socket.write(
      `${head("Transfer-Encoding: chunked\r\n")}${Buffer.byteLength(chunked).toString(16)}\r\n${chunked}\r\n0\r\n\r\n`,
    );
    answers.push(await next());

    // Two requests in one write: the second's body is read after the first is answered.
    socket.write(whole(body("four")) + whole(body("five")));
    answers.push(await next(), await next());
    socket.end();

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const words = ["one", "two", "three", "four", "five"];
    // The echo provider answers with the last user message verbatim: every body arrived whole.
    answers.forEach((a, i) => {
      expect(a.body.choices[0].message.content).toBe(`say ${words[i]} ${"é".repeat(40)}`);
    });

    await s.kp.meter.flush();
    const usage = await s.kp.store.usage.listRange(s.orgId, 0, Date.now() + 1000);
    expect(usage.filter((u) => u.status === 200)).toHaveLength(5);
  });
});
