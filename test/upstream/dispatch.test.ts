import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientCancel } from "../../src/upstream/cancel.js";
import { requestUpstream } from "../../src/upstream/dispatch.js";
import { headerPicker } from "../../src/upstream/headers.js";
import type { UpstreamStream } from "../../src/upstream/upstream-stream.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readAll = async (s: Readable): Promise<string> => {
  let out = "";
  for await (const c of s) out += String(c);
  return out;
};

describe("requestUpstream (undici dispatch)", () => {
  let server: Server;
  let pool: Pool;
  let closedEarly = 0;
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      if (req.url === "/small") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      } else if (req.url === "/chunked") {
        res.writeHead(200, { "content-type": "application/json" });
        for (const part of ['{"a":"', "x".repeat(40), '","b":', "1}"]) {
          res.write(part);
          await sleep(5);
        }
        res.end();
      } else if (req.url === "/sse") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: 1\n\n");
        await sleep(20);
        res.end("data: [DONE]\n\n");
      } else if (req.url === "/endless") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.on("close", () => {
          if (!res.writableFinished) closedEarly++;
        });
        const t = setInterval(() => res.write("data: tick\n\n"), 5);
        res.on("close", () => clearInterval(t));
      } else if (req.url === "/headers") {
        // Raw header list: repeated names, and a value with non-ASCII bytes (UTF-8 "é").
        res.writeHead(200, [
          "Content-Type",
          "application/json",
          "X-Request-Id",
          "req_up",
          "Set-Cookie",
          "a=1",
          "Cache-Control",
          "no-store",
          "Cache-Control",
          "private",
          "Content-Disposition",
          Buffer.from('attachment; filename="é.json"', "utf8").toString("latin1"),
          "X-RateLimit-Remaining-Requests",
          "9",
        ]);
        res.end("{}");
      } else if (req.url === "/slow") {
        await sleep(500);
        res.end("{}");
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 4 });
  });
  afterAll(async () => {
    await pool.close();
    server.closeAllConnections();
    server.close();
  });

  const call = (path: string, signal?: ClientCancel, limit = 20) =>
    requestUpstream(pool, { path, method: "GET", headers: {}, body: null, signal }, limit);

  it("hands a small complete body over as one Buffer with the status and headers", async () => {
    const r = await call("/small");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("application/json");
    expect(Buffer.isBuffer(r.body) && r.body.toString()).toBe('{"ok":true}');
  });

  it("decodes only the headers asked for: repeats as arrays, values byte for byte (latin1)", async () => {
    const pick = headerPicker(["content-type", "x-request-id", "cache-control", "content-disposition"]);
    const r = await requestUpstream(
      pool,
      { path: "/headers", method: "GET", headers: {}, body: null, readHeaders: pick },
      20,
    );
    expect(r.headers).toEqual({
      "content-type": "application/json",
      "x-request-id": "req_up",
      "cache-control": ["no-store", "private"],
      "content-disposition": Buffer.from('attachment; filename="é.json"', "utf8").toString("latin1"),
    });
    // Written back out by node:http (latin1), the value is the upstream's exact bytes.
    const cd = r.headers["content-disposition"] as string;
    expect(Buffer.from(cd, "latin1").toString("utf8")).toBe('attachment; filename="é.json"');
    const all = await call("/headers");
    expect(all.headers["set-cookie"]).toBe("a=1");
    expect(all.headers["x-ratelimit-remaining-requests"]).toBe("9");
  });

  it("switches to a stream, in order and complete, when a chunked body outgrows the limit", async () => {
    const r = await call("/chunked");
    expect(Buffer.isBuffer(r.body)).toBe(false);
    expect(await readAll(r.body as Readable)).toBe(`{"a":"${"x".repeat(40)}","b":1}`);
  });

  it("streams SSE from its headers on", async () => {
    const r = await call("/sse", undefined, 1 << 20);
    expect(Buffer.isBuffer(r.body)).toBe(false);
    expect(await readAll(r.body as Readable)).toBe("data: 1\n\ndata: [DONE]\n\n");
  });

  it("a cancel before the answer rejects as aborted; destroying a stream aborts the upstream request", async () => {
    const cancel = new ClientCancel();
    const pending = call("/slow", cancel);
    setTimeout(() => cancel.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });

    const r = await call("/endless", undefined, 1 << 20);
    const body = r.body as Readable;
    await new Promise((res) => body.once("data", res));
    body.destroy();
    for (let i = 0; i < 50 && closedEarly === 0; i++) await sleep(10);
    expect(closedEarly).toBe(1);
  });

  it("a relay can take a stream over: every chunk in order from the transport, pauses honoured, destroy aborts", async () => {
    const sse = await call("/sse", undefined, 1 << 20);
    const got: string[] = [];
    const ended = new Promise<void>((resolve) => {
      const resume = (sse.body as UpstreamStream).takeOver({
        data: (c) => got.push(String(c)) > 0,
        end: resolve,
      });
      expect(resume).toBeTypeOf("function");
    });
    await ended;
    expect(got.join("")).toBe("data: 1\n\ndata: [DONE]\n\n");
    expect((sse.body as UpstreamStream).bodyEnded).toBe(true);

    // Once read as a Readable, it cannot be taken over.
    const read = await call("/sse", undefined, 1 << 20);
    const readable = read.body as UpstreamStream;
    let text = "";
    const done = new Promise((resolve) => readable.on("end", resolve));
    await new Promise((resolve) =>
      readable.on("data", (c) => {
        text += String(c);
        resolve(text);
      }),
    );
    expect(readable.takeOver({ data: () => true, end: () => {} })).toBeNull();
    await done;
    expect(text).toBe("data: 1\n\ndata: [DONE]\n\n");

    // A sink that asks for a pause gets nothing more until it resumes.
    const before = closedEarly;
    const endless = await call("/endless", undefined, 1 << 20);
    const stream = endless.body as UpstreamStream;
    let chunks = 0;
    const resume = stream.takeOver({ data: () => ++chunks < 0, end: () => {} });
    for (let i = 0; i < 50 && chunks === 0; i++) await sleep(10);
    const paused = chunks;
    await sleep(100);
    // The socket may still hold a few events read before the pause took effect.
    expect(chunks).toBeLessThanOrEqual(paused + 3);
    resume?.();
    await sleep(60);
    expect(chunks).toBeGreaterThan(paused);
    stream.destroy();
    for (let i = 0; i < 50 && closedEarly === before; i++) await sleep(10);
    expect(closedEarly).toBe(before + 1);
  });
});
