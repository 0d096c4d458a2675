import { AppError } from "../../domain/errors.js";
import type { OrganizationRecord } from "../../storage/records.js";
import type { Page, PageQuery } from "../../storage/store.js";
import { audit, requireRead, requireWrite, type ServiceCtx } from "../context.js";
import { type NewOrganization, seedOrganization } from "./create-organization.js";

const requireInstanceAdmin = (ctx: ServiceCtx): void => {
  if (!ctx.principal.instanceAdmin) {
    // Same answer as a route that does not exist for this caller: organizations stay invisible.
    throw new AppError("missing_scope", {
      message:
        "You have insufficient permissions for this operation. Missing scopes: api.organizations.write. Only an instance admin key can manage organizations.",
    });
  }
};

export const createOrganization = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { name: string; ownerEmail: string; ownerName: string; withAdminKey: boolean };
}): Promise<NewOrganization> => {
  requireInstanceAdmin(ctx);
  requireWrite(ctx);
  return ctx.store.transaction(async (tx) => {
    const created = await seedOrganization(tx, ctx.secret, ctx.now(), { ...input, instanceAdmin: false });
    await audit(ctx, tx, {
      orgId: created.org.id,
      type: "organization.updated",
      resourceId: created.org.id,
      details: { id: created.org.id, changes_requested: { name: created.org.name, created: true } },
    });
    return created;
  });
};

export const listOrganizations = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { page: PageQuery };
}): Promise<Page<OrganizationRecord>> => {
  requireInstanceAdmin(ctx);
  requireRead(ctx);
  return ctx.store.organizations.list(input.page);
};

/** An org admin key may read its own organization; any other id is a 404 like a missing one. */
export const getOrganization = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { orgId: string };
}): Promise<OrganizationRecord> => {
  requireRead(ctx);
  const org =
    ctx.principal.instanceAdmin || ctx.principal.orgId === input.orgId
      ? await ctx.store.organizations.get(input.orgId)
      : null;
  if (!org)
    throw new AppError("not_found", {
      message: `No such organization: ${input.orgId}`,
      param: "organization_id",
    });
  return org;
};
