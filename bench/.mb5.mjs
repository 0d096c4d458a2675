import { SseScanner } from "../dist/upstream/sse-scanner.js";
import { scanEvents } from "../dist/upstream/sse-scan.js";
import { SSE_EVENTS } from "./fake-upstream.mjs";
const body = Buffer.concat(SSE_EVENTS);
const text = body.toString();
const N = 1e5;
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (let i = 0; i < N; i++) { const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 5 }); s.accept(body); s.end(); s.outcome(); }
  console.log("scanner", ((performance.now() - t) / N * 1000).toFixed(2), "µs");
  t = performance.now(); for (let i = 0; i < N; i++) scanEvents("chat", text); console.log("scanEvents", ((performance.now() - t) / N * 1000).toFixed(2));
  t = performance.now(); for (let i = 0; i < N; i++) body.toString("utf8"); console.log("toString", ((performance.now() - t) / N * 1000).toFixed(2));
}
