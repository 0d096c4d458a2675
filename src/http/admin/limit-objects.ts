import { intervalWire } from "../../services/limits/spend-interval.js";
import type { RateLimitRecord, SpendAlertRecord, SpendLimitRecord } from "../../storage/records.js";

/** Records → OpenAI's rate-limit and spend objects. Fields beyond OpenAI's are our extensions. */

/** OpenAI leaves out the fields that do not apply to a model, rather than sending null. */
export const rateLimitObject = (r: RateLimitRecord) => ({
  object: "project.rate_limit" as const,
  id: r.id,
  model: r.model,
  max_requests_per_1_minute: r.maxRequestsPer1Minute,
  max_tokens_per_1_minute: r.maxTokensPer1Minute,
  ...(r.maxImagesPer1Minute !== null ? { max_images_per_1_minute: r.maxImagesPer1Minute } : {}),
  ...(r.maxAudioMegabytesPer1Minute !== null
    ? { max_audio_megabytes_per_1_minute: r.maxAudioMegabytesPer1Minute }
    : {}),
  ...(r.maxRequestsPer1Day !== null ? { max_requests_per_1_day: r.maxRequestsPer1Day } : {}),
  ...(r.batch1DayMaxInputTokens !== null ? { batch_1_day_max_input_tokens: r.batch1DayMaxInputTokens } : {}),
});

/** Amounts are integer cents on the wire, micro-dollars inside. */
export const spendLimitObject = (l: SpendLimitRecord) => ({
  object: l.projectId ? ("project.spend_limit" as const) : ("organization.spend_limit" as const),
  threshold_amount: Math.round(l.thresholdMicros / 10_000),
  currency: "USD" as const,
  ...intervalWire(l.interval),
  // Keyplane enforces a hard limit from the moment it is set.
  enforcement: { status: "enforcing" as const },
});

export const spendAlertObject = (a: SpendAlertRecord) => ({
  id: a.id,
  object: a.projectId ? ("project.spend_alert" as const) : ("organization.spend_alert" as const),
  threshold_amount: Math.round(a.thresholdMicros / 10_000),
  currency: "USD" as const,
  ...intervalWire(a.interval),
  notification_channel: {
    type: a.channel.type,
    recipients: a.channel.recipients,
    subject_prefix: a.channel.subjectPrefix,
  },
  webhook_url: a.webhookUrl,
});
