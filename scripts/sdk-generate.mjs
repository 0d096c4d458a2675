// Regenerates src/sdk/generated/operations.ts from the /openapi.json of a throwaway server.
// Run through `npm run sdk:generate` (builds dist/ first).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateSdkOperations } from "../dist/codegen/sdk-operations.js";
import { configSchema } from "../dist/config/schema.js";
import { createKeyplane } from "../dist/main.js";

const dataDir = mkdtempSync(join(tmpdir(), "keyplane-sdkgen-"));
const kp = await createKeyplane(configSchema.parse({ host: "127.0.0.1", port: 0, dataDir, logLevel: "warn" }));
try {
  const url = await kp.listen();
  const doc = await (await fetch(`${url}/openapi.json`)).json();
  const target = new URL("../src/sdk/generated/operations.ts", import.meta.url);
  writeFileSync(target, generateSdkOperations(doc));
  console.log(`wrote ${target.pathname}`);
} finally {
  await kp.close();
  rmSync(dataDir, { recursive: true, force: true });
}
