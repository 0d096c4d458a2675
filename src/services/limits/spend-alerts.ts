import { AppError } from "../../domain/errors.js";
import { newId } from "../../domain/ids.js";
import type { SpendAlertChannel, SpendAlertRecord, SpendInterval } from "../../storage/records.js";
import type { Page, PageQuery, SpendAlertPatch, StoreRepos } from "../../storage/store.js";
import { audit, loadProject, requireActive, requireRead, requireWrite, type ServiceCtx } from "../context.js";
import { policyOf } from "./policy-of.js";
import { intervalWire } from "./spend-interval.js";
import { invalidate, type SpendScopeInput } from "./spend-limits.js";

/** Each alert is checked on every request of its scope; a bound keeps that cheap. */
export const MAX_ALERTS_PER_SCOPE = 100;

export interface SpendAlertFields {
  thresholdMicros: number;
  interval: SpendInterval;
  channel: SpendAlertChannel;
  webhookUrl: string | null;
}

const notFound = (id: string): AppError =>
  new AppError("not_found", { message: `No such spend alert: ${id}`, param: "alert_id" });

const scopeProject = async (repos: StoreRepos, s: SpendScopeInput, write: boolean) => {
  if (s.projectId === null) return null;
  const p = await loadProject(repos, s.orgId, s.projectId);
  if (write) requireActive(p);
  return p;
};

/** What the audit log keeps of an alert: no recipients (personal data) and no webhook URL (may hold a token). */
const auditData = (f: Partial<SpendAlertFields>) => ({
  ...(f.thresholdMicros !== undefined
    ? { threshold_amount: f.thresholdMicros / 10_000, currency: "USD" }
    : {}),
  ...(f.interval ? intervalWire(f.interval) : {}),
  ...(f.channel
    ? { notification_channel: { type: f.channel.type, recipients: f.channel.recipients.length } }
    : {}),
  ...(f.webhookUrl !== undefined ? { webhook_url_set: f.webhookUrl !== null } : {}),
});

export const listSpendAlerts = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & { page: PageQuery & { before?: string } };
}): Promise<Page<SpendAlertRecord>> => {
  requireRead(ctx);
  await scopeProject(ctx.store, input, false);
  return ctx.store.spendAlerts.list(input.orgId, input.projectId, input.page);
};

export const getSpendAlert = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & { alertId: string };
}): Promise<SpendAlertRecord> => {
  requireRead(ctx);
  await scopeProject(ctx.store, input, false);
  const a = await ctx.store.spendAlerts.get(input.orgId, input.projectId, input.alertId);
  if (!a) throw notFound(input.alertId);
  return a;
};

export const createSpendAlert = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & SpendAlertFields;
}): Promise<SpendAlertRecord> => {
  requireWrite(ctx);
  policyOf(ctx);
  const created = await ctx.store.transaction(async (tx) => {
    const project = await scopeProject(tx, input, true);
    if ((await tx.spendAlerts.count(input.orgId, input.projectId)) >= MAX_ALERTS_PER_SCOPE)
      throw new AppError("invalid_request", {
        message: `At most ${MAX_ALERTS_PER_SCOPE} spend alerts per ${project ? "project" : "organization"}.`,
        param: null,
      });
    const a: SpendAlertRecord = {
      id: newId.spendAlert(),
      orgId: input.orgId,
      projectId: input.projectId,
      thresholdMicros: input.thresholdMicros,
      interval: input.interval,
      channel: input.channel,
      webhookUrl: input.webhookUrl,
      createdAt: ctx.now(),
    };
    await tx.spendAlerts.insert(a);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "spend_alert.created",
      project,
      resourceId: a.id,
      details: { id: a.id, data: auditData(a) },
    });
    return a;
  });
  invalidate(ctx, input);
  return created;
};

export const updateSpendAlert = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & { alertId: string; patch: SpendAlertPatch };
}): Promise<SpendAlertRecord> => {
  requireWrite(ctx);
  policyOf(ctx);
  const updated = await ctx.store.transaction(async (tx) => {
    const project = await scopeProject(tx, input, true);
    const a = await tx.spendAlerts.update(input.orgId, input.projectId, input.alertId, input.patch);
    if (!a) throw notFound(input.alertId);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "spend_alert.updated",
      project,
      resourceId: a.id,
      details: { id: a.id, changes_requested: auditData(input.patch) },
    });
    return a;
  });
  invalidate(ctx, input);
  return updated;
};

export const deleteSpendAlert = async ({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: SpendScopeInput & { alertId: string };
}): Promise<void> => {
  requireWrite(ctx);
  policyOf(ctx);
  await ctx.store.transaction(async (tx) => {
    const project = await scopeProject(tx, input, true);
    if (!(await tx.spendAlerts.delete(input.orgId, input.projectId, input.alertId)))
      throw notFound(input.alertId);
    await audit(ctx, tx, {
      orgId: input.orgId,
      type: "spend_alert.deleted",
      project,
      resourceId: input.alertId,
      details: { id: input.alertId },
    });
  });
  invalidate(ctx, input);
};
