import {
  type BudgetScopeRef,
  parseBudgetId,
  periodOfKey,
  periodTag,
  thresholdOf,
  UNLIMITED_MICROS,
} from "../../domain/budget-policy.js";
import type { BudgetAlert, BudgetPeriodPolicy } from "../../domain/budgets.js";
import { newId, randomBase62 } from "../../domain/ids.js";
import type { AuditActor, SpendAlertRecord } from "../../storage/records.js";
import type { Store } from "../../storage/store.js";
import { periodPolicyOf } from "./build-request-limits.js";
import type { LimitsPolicy } from "./limits-policy.js";
import type { WebhookSender } from "./webhook-sender.js";

/** The key whose request crossed the threshold (the audit event's actor). */
export interface AlertOrigin {
  keyId: string;
  kind: "project" | "service_account";
}

export interface AlertDispatcherOptions {
  store: Store;
  policy: LimitsPolicy;
  sender: WebhookSender;
  /** `webhooks.url`: where alerts without their own `webhook_url` are delivered; null = audit only. */
  defaultUrl: string | null;
  logger: { error(obj: Record<string, unknown>, msg: string): void };
  now?: () => number;
}

interface Firing {
  /** Unique per alert and period: the store admits the first claim only, across instances. */
  claimKey: string;
  alert: SpendAlertRecord | null;
  thresholdMicros: number;
}

const usd = (micros: number): number => micros / 1_000_000;

/**
 * Turns the ledger's first-time threshold crossings into spend alerts: an audit event
 * `spend_alert.triggered` and a signed webhook. The ledger reports each (budget, period, percent)
 * once; the store's firing record makes each (alert, period) fire once even when a changed limit
 * gives the same alert a new percentage, or when memory counters restart. All of it runs in the
 * background: `dispatch` returns at once and never throws.
 */
export class AlertDispatcher {
  private readonly tasks = new Set<Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly opts: AlertDispatcherOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The gateway's `onAlerts`. */
  readonly dispatch = (alerts: readonly BudgetAlert[], origin?: AlertOrigin): void => {
    for (const a of alerts) {
      const task = this.handle(a, origin).catch((err: unknown) =>
        this.opts.logger.error({ component: "alerts", budgetId: a.budgetId, err }, "spend alert failed"),
      );
      this.tasks.add(task);
      void task.finally(() => this.tasks.delete(task));
    }
  };

  /** Resolves when every alert dispatched so far is recorded and its webhook delivered or given up. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
    await this.opts.sender.drain();
  }

  private async handle(a: BudgetAlert, origin: AlertOrigin | undefined): Promise<void> {
    const parsed = parseBudgetId(a.budgetId);
    if (parsed === null) return;
    const { scope, period } = parsed;
    for (const f of await this.firings(a, scope, period)) {
      const payload = this.payload(a, scope, period, f);
      // The audit log keeps no recipients' addresses; the webhook receiver needs them.
      const { notification_channel: _recipients, ...audited } = payload.data;
      const claimed = await this.opts.store.transaction(async (tx) => {
        if (!(await tx.spendAlerts.claimFiring(f.claimKey, Math.floor(this.now() / 1000)))) return false;
        const projectId = scope.kind === "organization" ? null : scope.projectId;
        const project = projectId ? await tx.projects.get(scope.orgId, projectId) : null;
        await tx.audit.insert({
          id: newId.auditLog(),
          orgId: scope.orgId,
          projectId,
          projectName: project?.name ?? null,
          type: "spend_alert.triggered",
          effectiveAt: Math.floor(this.now() / 1000),
          actor: actorOf(scope, origin),
          resourceId: f.alert?.id ?? a.budgetId,
          details: { id: f.alert?.id ?? a.budgetId, data: audited },
        });
        return true;
      });
      const url = f.alert?.webhookUrl ?? this.opts.defaultUrl;
      if (claimed && url) this.opts.sender.send(url, payload);
    }
  }

  /** Which alert records a crossing stands for: those of the scope with that period and threshold. */
  private async firings(
    a: BudgetAlert,
    scope: BudgetScopeRef,
    period: BudgetPeriodPolicy,
  ): Promise<Firing[]> {
    const thresholdMicros = thresholdOf(a.percent, a.limitMicros);
    if (scope.kind === "key")
      return [{ claimKey: `${a.budgetId}|${a.periodKey}|${a.percent}`, alert: null, thresholdMicros }];
    const p = this.opts.policy;
    const sp =
      scope.kind === "organization"
        ? (p.peekOrg(scope.orgId) ?? (await p.loadOrg(scope.orgId)))
        : (p.peekProject(scope.orgId, scope.projectId) ??
          (await p.loadProject(scope.orgId, scope.projectId)));
    const tag = periodTag(period);
    return sp.alerts
      .filter((r) => r.thresholdMicros === thresholdMicros && periodTag(periodPolicyOf(r.interval)) === tag)
      .map((r) => ({ claimKey: `${r.id}|${a.periodKey}`, alert: r, thresholdMicros }));
  }

  private payload(a: BudgetAlert, scope: BudgetScopeRef, period: BudgetPeriodPolicy, f: Firing) {
    const limited = a.limitMicros !== UNLIMITED_MICROS;
    const p = periodOfKey(period, a.periodKey);
    const ch = f.alert?.channel;
    return {
      id: `evt_${randomBase62(24)}`,
      object: "event" as const,
      type: "spend_alert.triggered" as const,
      created_at: Math.floor(this.now() / 1000),
      data: {
        organization_id: scope.orgId,
        project_id: scope.kind === "organization" ? null : scope.projectId,
        api_key_id: scope.kind === "key" ? scope.keyId : null,
        scope: scope.kind,
        alert_id: f.alert?.id ?? null,
        threshold_usd: usd(f.thresholdMicros),
        percent_of_limit: limited ? a.percent : null,
        limit_usd: limited ? usd(a.limitMicros) : null,
        spent_usd: usd(a.spentMicros),
        currency: "USD" as const,
        period: {
          key: a.periodKey,
          interval: period.kind === "calendar_month" ? "month" : "days",
          ...(period.kind === "days" ? { interval_days: period.days } : {}),
          starts_at: p ? Math.floor(p.startsAtMs / 1000) : null,
          ends_at: p ? Math.floor(p.endsAtMs / 1000) : null,
        },
        notification_channel: ch
          ? { type: ch.type, recipients: ch.recipients, subject_prefix: ch.subjectPrefix }
          : null,
      },
    };
  }
}

const actorOf = (scope: BudgetScopeRef, origin: AlertOrigin | undefined): AuditActor => {
  const keyId = origin?.keyId ?? (scope.kind === "key" ? scope.keyId : null);
  return {
    type: "api_key",
    ...(keyId
      ? { apiKey: { id: keyId, type: origin?.kind === "service_account" ? "service_account" : "user" } }
      : {}),
    ipAddress: null,
    userAgent: null,
  };
};
