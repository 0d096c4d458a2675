/**
 * Turns Keyplane's own /openapi.json into the SDK's request types (src/sdk/generated/operations.ts).
 * Pure: document in, TypeScript source out. The contract test regenerates from a live server and
 * compares with the committed file, so a route that changes without the SDK fails the suite.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propName = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));

const indentLines = (text: string, pad: string): string =>
  text
    .split("\n")
    .map((l, i) => (i === 0 ? l : `${pad}${l}`))
    .join("\n");

/** JSON Schema (the subset zod's toJSONSchema emits) → a TypeScript type expression. */
export const schemaToType = (schema: unknown, components: Json = {}): string => {
  if (!isObject(schema)) return "unknown";
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop() ?? "";
    return schemaToType(components[name], components);
  }
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) {
    const parts = [...new Set(union.map((s) => schemaToType(s, components)))];
    return parts.map((p) => (p.includes("\n") || !p.includes(" | ") ? p : `(${p})`)).join(" | ");
  }
  const type = schema.type;
  if (Array.isArray(type))
    return type.map((t) => schemaToType({ ...schema, type: t }, components)).join(" | ");
  switch (type) {
    case "string":
      return "string";
    case "number":
    case "integer":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array": {
      const item = schemaToType(schema.items, components);
      return /^[A-Za-z0-9_"]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case "object":
      return objectType(schema, components);
    default:
      return "unknown";
  }
};

const objectType = (schema: Json, components: Json): string => {
  const props = isObject(schema.properties) ? schema.properties : {};
  const names = Object.keys(props);
  const extra = schema.additionalProperties;
  if (names.length === 0) {
    if (isObject(extra)) return `Record<string, ${schemaToType(extra, components)}>`;
    return extra === false ? "Record<string, never>" : "Record<string, unknown>";
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const lines = names.map((n) => {
    const t = schemaToType(props[n], components);
    return `  ${propName(n)}${required.has(n) ? "" : "?"}: ${indentLines(t, "  ")};`;
  });
  return `{\n${lines.join("\n")}\n}`;
};

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}

const paramsType = (params: Parameter[], where: "path" | "query", components: Json): string => {
  const own = params.filter((p) => p.in === where);
  if (own.length === 0) return "Record<string, never>";
  const lines = own.map((p) => {
    // Path segments are strings on the wire whatever the schema says.
    const t = where === "path" ? "string" : schemaToType(p.schema, components);
    return `  ${propName(p.name)}${p.required ? "" : "?"}: ${indentLines(t, "  ")};`;
  });
  return `{\n${lines.join("\n")}\n}`;
};

const bodyType = (op: Json, components: Json): string => {
  const rb = op.requestBody;
  if (!isObject(rb) || !isObject(rb.content)) return "undefined";
  const json = rb.content["application/json"];
  return isObject(json) ? schemaToType(json.schema, components) : "unknown";
};

/** A response documented only as `{type: "object"}` carries no type; the SDK's hand-written one is used. */
const responseType = (op: Json, components: Json): string => {
  const ok = isObject(op.responses) ? op.responses["200"] : undefined;
  const content = isObject(ok) && isObject(ok.content) ? ok.content["application/json"] : undefined;
  const schema = isObject(content) ? content.schema : undefined;
  if (!isObject(schema)) return "unknown";
  if (schema.type === "object" && !isObject(schema.properties) && schema.additionalProperties === undefined)
    return "unknown";
  return schemaToType(schema, components);
};

const usesAdminAuth = (op: Json): boolean =>
  Array.isArray(op.security) && op.security.some((s) => isObject(s) && "AdminApiKeyAuth" in s);

/** The admin operations of a document, keyed "METHOD /path" — the SDK's route identifiers. */
export const adminRouteKeys = (doc: Json): string[] => {
  const keys: string[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (isObject(op) && usesAdminAuth(op)) keys.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return keys.sort();
};

export const generateSdkOperations = (doc: Json): string => {
  const components =
    isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const paths = isObject(doc.paths) ? doc.paths : {};
  const entries: string[] = [];
  for (const key of adminRouteKeys(doc)) {
    const [method = "", path = ""] = key.split(" ");
    const item = paths[path] as Json;
    const op = item[method.toLowerCase()] as Json;
    const params = (Array.isArray(op.parameters) ? op.parameters : []) as Parameter[];
    const fields = [
      `operationId: ${JSON.stringify(op.operationId ?? "")};`,
      `extension: ${op["x-keyplane-extension"] === true};`,
      `params: ${paramsType(params, "path", components)};`,
      `query: ${paramsType(params, "query", components)};`,
      `body: ${bodyType(op, components)};`,
      `response: ${responseType(op, components)};`,
    ];
    entries.push(
      `  ${JSON.stringify(key)}: {\n${fields.map((f) => `    ${indentLines(f, "    ")}`).join("\n")}\n  };`,
    );
  }
  return [
    "// Generated from Keyplane's /openapi.json by `npm run sdk:generate`. Do not edit by hand:",
    "// test/sdk/openapi-contract.test.ts regenerates it from a live server and fails on any difference.",
    "",
    "export interface GeneratedOperations {",
    ...entries,
    "}",
    "",
  ].join("\n");
};
