import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";

/**
 * Validates values against a schema inside an OpenAPI 3.1 document from /work/shared/spec (or any path).
 * The whole document is added once as schema `spec`, so `#/components/schemas/...` refs resolve in place.
 */
const SPEC_DIR = process.env.KEYPLANE_SPEC_DIR ?? "/work/shared/spec";

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

export const validateAgainst = (specFile: string, schemaName: string, value: unknown): SpecResult => {
  const key = `${specFile}#${schemaName}`;
  let validate = validators.get(key);
  if (!validate) {
    const ajv = ajvFor(specFile);
    const found = ajv.getSchema(`spec#/components/schemas/${schemaName}`);
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
