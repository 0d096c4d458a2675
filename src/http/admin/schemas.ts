import { z } from "zod";

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).max(128).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

export const boolQuery = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0"])])
  .transform((v) => v === true || v === "true" || v === "1");

export const projectParams = z.object({ project_id: z.string().min(1).max(128) });
export const orgProjectParams = z.object({
  organization_id: z.string().min(1).max(128),
  project_id: z.string().min(1).max(128),
});

export interface ListEnvelope<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export const envelope = <T extends { id: string }>(data: T[], hasMore: boolean): ListEnvelope<T> => ({
  object: "list",
  data,
  first_id: data[0]?.id ?? null,
  last_id: data[data.length - 1]?.id ?? null,
  has_more: hasMore,
});

export const deleted = (object: string, id: string) => ({ object, id, deleted: true as const });
