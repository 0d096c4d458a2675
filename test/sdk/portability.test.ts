import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, expectTypeOf, it } from "vitest";
import type {
  KeyplaneClient,
  ListPage,
  ProjectApiKey,
  ProjectApiKeyWithSecret,
} from "../../src/sdk/index.js";

const run = promisify(execFile);
const SDK = new URL("../../src/sdk/", import.meta.url).pathname;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

describe("SDK portability (Deno, Bun, browsers)", () => {
  it("imports nothing outside src/sdk: no node: modules, no packages", () => {
    const offenders: string[] = [];
    for (const f of files(SDK)) {
      for (const m of readFileSync(f, "utf8").matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1] ?? "";
        const resolved = new URL(spec, `file://${f}`).pathname;
        if (!spec.startsWith(".") || !resolved.startsWith(SDK)) offenders.push(`${f}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("type-checks with the DOM library and no Node types at all", async () => {
    // tsconfig.sdk.json: lib ES2022 + DOM, types [] — a Node global (process, Buffer) would fail here.
    const r = await run(process.execPath, [
      "node_modules/typescript/bin/tsc",
      "-p",
      "tsconfig.sdk.json",
    ]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "failed" }));
    expect(r.stdout).toBe("");
  });

  it("types answers from the routes: create returns the secret, list pages keys", () => {
    type Create = Awaited<ReturnType<KeyplaneClient["keys"]["create"]>>;
    type Page = Awaited<ReturnType<ReturnType<KeyplaneClient["keys"]["list"]>["firstPage"]>>;
    expectTypeOf<Create>().toEqualTypeOf<ProjectApiKeyWithSecret>();
    expectTypeOf<Page>().toEqualTypeOf<ListPage<ProjectApiKey>>();
    type Body = Parameters<KeyplaneClient["keys"]["create"]>[1];
    expectTypeOf<{ name: string; budget_usd: number }>().toExtend<Body>();
    // @ts-expect-error: the request body type comes from the route's schema, which has no `colour`
    const bad: Body = { name: "x", colour: "red" };
    expect(bad.name).toBe("x");
  });
});
