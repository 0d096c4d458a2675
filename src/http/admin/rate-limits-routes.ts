import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { listRateLimits } from "../../services/limits/list-rate-limits.js";
import { updateRateLimit } from "../../services/limits/update-rate-limit.js";
import type { RateLimitPatch } from "../../storage/store.js";
import { addRoute } from "../route.js";
import { type AdminDeps, authenticateAdmin } from "./auth.js";
import { rateLimitObject } from "./limit-objects.js";
import { envelope, projectParams } from "./schemas.js";

const count = z.number().int().min(0).max(1_000_000_000_000);

/** `max_requests_per_1_day: null` removes the daily limit (extension; OpenAI only takes integers). */
const updateBody = z
  .object({
    max_requests_per_1_minute: count.optional(),
    max_tokens_per_1_minute: count.optional(),
    max_images_per_1_minute: count.nullable().optional(),
    max_audio_megabytes_per_1_minute: count.nullable().optional(),
    max_requests_per_1_day: count.nullable().optional(),
    batch_1_day_max_input_tokens: count.nullable().optional(),
  })
  .strict();

const toPatch = (b: z.infer<typeof updateBody>): RateLimitPatch => ({
  ...(b.max_requests_per_1_minute !== undefined
    ? { maxRequestsPer1Minute: b.max_requests_per_1_minute }
    : {}),
  ...(b.max_tokens_per_1_minute !== undefined ? { maxTokensPer1Minute: b.max_tokens_per_1_minute } : {}),
  ...(b.max_images_per_1_minute !== undefined ? { maxImagesPer1Minute: b.max_images_per_1_minute } : {}),
  ...(b.max_audio_megabytes_per_1_minute !== undefined
    ? { maxAudioMegabytesPer1Minute: b.max_audio_megabytes_per_1_minute }
    : {}),
  ...(b.max_requests_per_1_day !== undefined ? { maxRequestsPer1Day: b.max_requests_per_1_day } : {}),
  ...(b.batch_1_day_max_input_tokens !== undefined
    ? { batch1DayMaxInputTokens: b.batch_1_day_max_input_tokens }
    : {}),
});

export const registerRateLimitRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const base = { tag: "Projects", security: "admin" as const, authenticate: authenticateAdmin(deps) };

  addRoute(app, {
    ...base,
    method: "GET",
    url: "/v1/organization/projects/:project_id/rate_limits",
    operationId: "list-project-rate-limits",
    summary: "List a project's rate limits, one per model (created from the configured models)",
    params: projectParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(100),
      after: z.string().min(1).max(300).optional(),
      before: z.string().min(1).max(300).optional(),
    }),
    handler: async ({ auth, params, query }) => {
      const page = await listRateLimits({
        ctx: auth,
        input: {
          orgId: auth.principal.orgId,
          projectId: params.project_id,
          page: { limit: query.limit, after: query.after, ...(query.before ? { before: query.before } : {}) },
        },
      });
      return envelope(page.data.map(rateLimitObject), page.hasMore);
    },
  });

  addRoute(app, {
    ...base,
    method: "POST",
    url: "/v1/organization/projects/:project_id/rate_limits/:rate_limit_id",
    operationId: "update-project-rate-limits",
    summary: "Modify a project's rate limit for one model; it may only narrow the organization's",
    params: projectParams.extend({ rate_limit_id: z.string().min(1).max(300) }),
    body: updateBody,
    handler: async ({ auth, params, body }) =>
      rateLimitObject(
        await updateRateLimit({
          ctx: auth,
          input: {
            orgId: auth.principal.orgId,
            projectId: params.project_id,
            rateLimitId: params.rate_limit_id,
            patch: toPatch(body),
          },
        }),
      ),
  });
};
