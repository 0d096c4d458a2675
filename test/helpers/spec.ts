import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";

/**
 * Validates values against a schema inside an OpenAPI 3.1 document from /work/shared/spec (or any path).
 * The whole document is added once as schema `spec`, so `#/components/schemas/...` refs resolve in place.
 */
// The repository's sibling `shared/spec` (CI lays shared/ beside the clone); KEYPLANE_SPEC_DIR overrides.
const SPEC_DIR =
  process.env.KEYPLANE_SPEC_DIR ??
  [join(process.cwd(), "..", "shared", "spec"), "/work/shared/spec"].find((d) => existsSync(d)) ??
  join(process.cwd(), "..", "shared", "spec");

// ajv-formats is CJS: under NodeNext its plugin is the namespace's `default.default`.
const addFormats = ajvFormats.default.default;

/**
 * OpenAI's 3.1 documents still carry OpenAPI 3.0 `nullable: true` in places (sometimes next to `$ref`
 * without `type`, which Ajv rejects); rewrite each such node to `anyOf: [node, {type: "null"}]`.
 */
const rewriteNullable = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(rewriteNullable);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  let nullable = false;
  for (const [k, v] of Object.entries(node)) {
    if (k === "nullable") nullable = v === true;
    else out[k] = rewriteNullable(v);
  }
  return nullable ? { anyOf: [out, { type: "null" }] } : out;
};

const validators = new Map<string, ValidateFunction>();
const ajvs = new Map<string, Ajv2020>();

const ajvFor = (specFile: string): Ajv2020 => {
  const path = isAbsolute(specFile) ? specFile : join(SPEC_DIR, specFile);
  let ajv = ajvs.get(path);
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // OpenAI marks Unix-second timestamps with a custom format.
  ajv.addFormat("unixtime", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= 0 });
  const doc: unknown = JSON.parse(readFileSync(path, "utf8"));
  ajv.addSchema(rewriteNullable(doc) as object, "spec");
  ajvs.set(path, ajv);
  return ajv;
};

export interface SpecResult {
  valid: boolean;
  errors: string[];
}

export const validateAgainst = (specFile: string, schemaName: string, value: unknown): SpecResult =>
  validatePointer(specFile, `/components/schemas/${schemaName}`, value);

/** Validates against any schema inside the document, addressed by JSON pointer. */
export const validatePointer = (specFile: string, pointer: string, value: unknown): SpecResult => {
  const schemaName = pointer;
  const key = `${specFile}#${schemaName}`;
  let validate = validators.get(key);
  if (!validate) {
    const ajv = ajvFor(specFile);
    const found = ajv.getSchema(`spec#${pointer}`);
    if (!found) throw new Error(`schema ${schemaName} not found in ${specFile}`);
    validate = found;
    validators.set(key, validate);
  }
  const valid = validate(value) === true;
  const errors = valid
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || "/"} ${e.message ?? "invalid"} ${JSON.stringify(e.params)}`,
      );
  return { valid, errors };
};

type Json = Record<string, unknown>;
const docs = new Map<string, Json>();

const loadDoc = (specFile: string): Json => {
  let doc = docs.get(specFile);
  if (!doc) {
    const file = isAbsolute(specFile) ? specFile : join(SPEC_DIR, specFile);
    doc = JSON.parse(readFileSync(file, "utf8")) as Json;
    docs.set(specFile, doc);
  }
  return doc;
};

/**
 * Validates a response body against the operation's documented success schema: `path` is the
 * spec's path template (e.g. `/organization/projects/{project_id}`), `method` lower-case.
 */
export const validateOperation = (
  specFile: string,
  method: string,
  path: string,
  body: unknown,
): SpecResult => {
  const doc = loadDoc(specFile);
  const op = ((doc.paths as Json)[path] as Json | undefined)?.[method] as Json | undefined;
  if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in ${specFile}`);
  const schema = ((((op.responses as Json)["200"] as Json).content as Json)["application/json"] as Json)
    .schema as Json;
  if (typeof schema.$ref === "string")
    return validateAgainst(specFile, schema.$ref.replace("#/components/schemas/", ""), body);
  const esc = (x: string) => x.replace(/~/g, "~0").replace(/\//g, "~1");
  return validatePointer(
    specFile,
    `/paths/${esc(path)}/${method}/responses/200/content/${esc("application/json")}/schema`,
    body,
  );
};

/** Maps a concrete request path (`/v1/organization/projects/proj_x`) to its spec template, or null. */
export const specPathOf = (specFile: string, method: string, concrete: string): string | null => {
  const doc = loadDoc(specFile);
  const p = concrete.split("?")[0]?.replace(/^\/v1/, "") ?? "";
  for (const [template, ops] of Object.entries(doc.paths as Json)) {
    if (!(ops as Json)[method]) continue;
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (re.test(p)) return template;
  }
  return null;
};
