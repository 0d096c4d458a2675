import { z } from "zod";
import { type RouteMeta, routeRegistry } from "../route.js";

type Json = Record<string, unknown>;

const toSchema = (s: z.ZodType): Json => {
  const out = z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Json;
  delete out.$schema;
  return out;
};

const toParameters = (s: z.ZodType | undefined, where: "path" | "query"): Json[] => {
  if (!s) return [];
  const schema = toSchema(s);
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: where,
    required: where === "path" || (required.has(name) && p.default === undefined),
    schema: p,
    // OpenAI's SDKs send arrays as name[]=a and objects as name[gte]=1.
    ...(where === "query" && (p.type === "array" || p.type === "object")
      ? { style: "deepObject", explode: true }
      : {}),
  }));
};

const operation = (r: RouteMeta): Json => ({
  operationId: r.operationId,
  summary: r.summary,
  tags: [r.tag],
  ...(r.extension
    ? {
        "x-keyplane-extension": true,
        description: `${r.summary}\n\nKeyplane extension: OpenAI has no equivalent route.`,
      }
    : {}),
  parameters: [...toParameters(r.params, "path"), ...toParameters(r.query, "query")],
  ...(r.body
    ? { requestBody: { required: true, content: { "application/json": { schema: toSchema(r.body) } } } }
    : {}),
  responses: {
    "200": {
      description: "OK",
      content: { "application/json": { schema: r.response ? toSchema(r.response) : { type: "object" } } },
    },
    default: {
      description: "Error",
      content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
    },
  },
  security:
    r.security === "none" ? [] : [{ [r.security === "admin" ? "AdminApiKeyAuth" : "ApiKeyAuth"]: [] }],
});

/** OpenAPI 3.1 document generated from the routes' own schemas (the ones that validate requests). */
export const buildOpenApiDocument = (serverUrl: string): Json => {
  const paths: Record<string, Json> = {};
  for (const r of [...routeRegistry].sort((a, b) => a.url.localeCompare(b.url))) {
    const path = r.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: operation(r) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyplane API",
      version: "0.1.0",
      description:
        "OpenAI-compatible admin and model API. Operations marked `x-keyplane-extension` have no OpenAI equivalent.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        AdminApiKeyAuth: { type: "http", scheme: "bearer", description: "sk-admin-… key" },
        ApiKeyAuth: { type: "http", scheme: "bearer", description: "sk-proj-… or sk-svcacct-… key" },
      },
      schemas: {
        ErrorResponse: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["message", "type", "param", "code"],
              properties: {
                message: { type: "string" },
                type: { type: "string" },
                param: { type: ["string", "null"] },
                code: { type: ["string", "null"] },
              },
            },
          },
        },
      },
    },
  };
};
