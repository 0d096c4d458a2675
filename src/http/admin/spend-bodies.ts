import { z } from "zod";
import { centsToMicros } from "../../domain/budget-policy.js";
import type { SpendAlertFields } from "../../services/limits/spend-alerts.js";
import type { SpendAlertChannel, SpendInterval } from "../../storage/records.js";
import type { SpendAlertPatch } from "../../storage/store.js";

/** Up to a billion dollars, in cents. */
const cents = z.number().int().max(100_000_000_000);

/**
 * OpenAI's `interval: "month"` (calendar month, UTC), or our extension `interval: "days"` with
 * `interval_days: N`: spend counted over consecutive N-day windows.
 */
const intervalFields = {
  currency: z.literal("USD"),
  interval: z.enum(["month", "days"]),
  interval_days: z.number().int().min(1).max(366).optional(),
};

type IntervalInput = { interval?: "month" | "days" | undefined; interval_days?: number | undefined };

const checkInterval = (b: IntervalInput, ctx: z.RefinementCtx): void => {
  if (b.interval === "days" && b.interval_days === undefined)
    ctx.addIssue({ code: "custom", path: ["interval_days"], message: 'Required when interval is "days".' });
  if (b.interval !== "days" && b.interval_days !== undefined)
    ctx.addIssue({ code: "custom", path: ["interval_days"], message: 'Only allowed with interval "days".' });
};

export const toInterval = (b: IntervalInput): SpendInterval =>
  b.interval === "days" && b.interval_days !== undefined
    ? { kind: "days", days: b.interval_days }
    : { kind: "month" };

export const spendLimitBody = z
  .object({ threshold_amount: cents.min(1), ...intervalFields })
  .strict()
  .superRefine(checkInterval);

const channel = z
  .object({
    type: z.literal("email"),
    recipients: z.array(z.email().max(320)).max(50),
    subject_prefix: z.string().max(200).nullable().optional(),
  })
  .strict();

const webhookUrl = z
  .url()
  .max(2048)
  .refine((u) => /^https?:\/\//i.test(u), { message: "must be an http(s) URL" });

const alertFields = {
  threshold_amount: cents.min(0),
  ...intervalFields,
  notification_channel: channel,
  /** Extension: deliver this alert's webhook here instead of the configured `webhooks.url`. */
  webhook_url: webhookUrl.nullable().optional(),
};

export const createAlertBody = z.object(alertFields).strict().superRefine(checkInterval);

/** OpenAI sends the whole alert on update; we also take any subset of its fields. */
export const updateAlertBody = z
  .object({
    threshold_amount: alertFields.threshold_amount.optional(),
    currency: intervalFields.currency.optional(),
    interval: intervalFields.interval.optional(),
    interval_days: intervalFields.interval_days,
    notification_channel: channel.optional(),
    webhook_url: alertFields.webhook_url,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.interval !== undefined || b.interval_days !== undefined) checkInterval(b, ctx);
  });

const toChannel = (c: z.infer<typeof channel>): SpendAlertChannel => ({
  type: "email",
  recipients: c.recipients,
  subjectPrefix: c.subject_prefix ?? null,
});

export const toAlertFields = (b: z.infer<typeof createAlertBody>): SpendAlertFields => ({
  thresholdMicros: centsToMicros(b.threshold_amount),
  interval: toInterval(b),
  channel: toChannel(b.notification_channel),
  webhookUrl: b.webhook_url ?? null,
});

export const toAlertPatch = (b: z.infer<typeof updateAlertBody>): SpendAlertPatch => ({
  ...(b.threshold_amount !== undefined ? { thresholdMicros: centsToMicros(b.threshold_amount) } : {}),
  ...(b.interval !== undefined ? { interval: toInterval(b) } : {}),
  ...(b.notification_channel !== undefined ? { channel: toChannel(b.notification_channel) } : {}),
  ...(b.webhook_url !== undefined ? { webhookUrl: b.webhook_url } : {}),
});
