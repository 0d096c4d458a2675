import type { AuditEventRecord } from "../../storage/records.js";
import type { AuditFilter, Page, PageQuery } from "../../storage/store.js";
import { requireRead, type ServiceCtx } from "../context.js";

export const listAuditLogs = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string; filter: AuditFilter; page: PageQuery & { before?: string } };
}): Promise<Page<AuditEventRecord>> => {
  requireRead(ctx);
  return ctx.store.audit.list(input.orgId, input.filter, input.page);
};
