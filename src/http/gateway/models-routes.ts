import type { FastifyInstance } from "fastify";
import { AppError } from "../../domain/errors.js";
import { SCOPES } from "../../domain/scopes.js";
import type { KeyVerifier } from "../../services/auth/key-verifier.js";
import { authorizeModelRequest } from "../../services/gateway/authorize-model-request.js";
import { modelList, modelObject } from "../../upstream/index.js";
import { sendError } from "../errors.js";
import { recordRoute } from "../route.js";

/** `/v1/models` lists the configured models this key may use. */
export const registerModelsRoutes = (
  app: FastifyInstance,
  verifier: KeyVerifier,
  models: readonly string[],
): void => {
  app.get("/v1/models", async (req, reply) => {
    const v = await verifier.verify(req.headers.authorization);
    if (!v.ok) return sendError(reply, v.error);
    const denied = authorizeModelRequest(v.value, SCOPES.modelRead, null);
    if (denied) return sendError(reply, denied);
    return modelList(models.filter((m) => authorizeModelRequest(v.value, SCOPES.modelRead, m) === null));
  });
  app.get<{ Params: { model: string } }>("/v1/models/:model", async (req, reply) => {
    const v = await verifier.verify(req.headers.authorization);
    if (!v.ok) return sendError(reply, v.error);
    const model = req.params.model;
    const denied = authorizeModelRequest(v.value, SCOPES.modelRead, null);
    if (denied) return sendError(reply, denied);
    if (!models.includes(model) || authorizeModelRequest(v.value, SCOPES.modelRead, model) !== null) {
      return sendError(
        reply,
        new AppError("model_not_found", {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          param: "model",
          wireCode: "model_not_found",
        }),
      );
    }
    return modelObject(model);
  });
  for (const url of ["/v1/models", "/v1/models/:model"]) {
    recordRoute({
      method: "GET",
      url,
      operationId: `gateway-${url === "/v1/models" ? "list" : "retrieve"}-models`,
      summary: "Models this key may use",
      tag: "Model API (gateway)",
      extension: false,
      security: "project",
    });
  }
};
