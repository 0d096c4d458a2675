#!/usr/bin/env node
// The baseline every gateway is measured against: the smallest correct Node pass-through.
// node:http server + one undici Pool, buffers the request body, streams the response back and keeps
// the upstream's content-length (re-chunking costs ~39%, see reference/perf.md).
//
//   node bench/node-proxy.mjs <upstream-origin> [port]     prints "LISTENING <port>"
import { createServer } from "node:http";
import { Pool } from "undici";

// Exit cleanly on SIGTERM so --cpu-prof can write its profile (bench/profile.mjs).
process.on("SIGTERM", () => process.exit(0));
const origin = process.argv[2];
if (!origin) throw new Error("usage: node-proxy.mjs <upstream-origin> [port]");
const pool = new Pool(origin, { connections: 128, pipelining: 1 });
const HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length"]);

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k)) headers[k] = v;
    headers["content-length"] = String(body.length);
    pool.request({ method: req.method, path: req.url, headers, body }, (err, up) => {
      if (err) {
        res.writeHead(502).end();
        return;
      }
      const out = {};
      for (const [k, v] of Object.entries(up.headers))
        if (k !== "connection" && k !== "keep-alive" && k !== "transfer-encoding") out[k] = v;
      res.writeHead(up.statusCode, out);
      up.body.pipe(res);
      res.on("close", () => up.body.destroy());
    });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[3] ?? 0), "127.0.0.1", () => {
  console.log(`LISTENING ${server.address().port}`);
});
