import { createRequire } from "node:module";
import { dirname } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { buildOpenApiDocument } from "./document.js";

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keyplane API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT_JS = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

/** /openapi.json (built once, on first request, after every route registered) and Swagger UI at /docs. */
export const registerDocsRoutes = async (app: FastifyInstance, publicUrl: () => string): Promise<void> => {
  let doc: string | null = null;
  app.get("/openapi.json", async (_req, reply) => {
    doc ??= JSON.stringify(buildOpenApiDocument(`${publicUrl()}`));
    return reply.type("application/json").send(doc);
  });
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("swagger-ui-dist/package.json"));
  await app.register(fastifyStatic, { root, prefix: "/docs/assets/", decorateReply: false, index: false });
  app.get("/docs", async (_req, reply) =>
    reply
      .type("text/html")
      .header(
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      )
      .send(DOCS_HTML),
  );
  app.get("/docs/init.js", async (_req, reply) => reply.type("application/javascript").send(INIT_JS));
};
