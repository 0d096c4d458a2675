import type { Logger } from "pino";
import { readUpstreamKey } from "../../config/load.js";
import type { Config } from "../../config/schema.js";
import type { Store } from "../../storage/store.js";
import { AlertDispatcher } from "./alert-dispatcher.js";
import { LimitsPolicy } from "./limits-policy.js";
import { createLimitsRuntime, type LimitsRuntime } from "./limits-runtime.js";
import { RequestLimitsResolver } from "./resolve-request-limits.js";
import { WebhookSender } from "./webhook-sender.js";

/** Everything rate limits and budgets need in one process, built once by the composition root. */
export interface LimitsModule {
  runtime: LimitsRuntime;
  policy: LimitsPolicy;
  resolver: RequestLimitsResolver;
  alerts: AlertDispatcher;
  close(): Promise<void>;
}

export const createLimitsModule = (config: Readonly<Config>, store: Store, logger: Logger): LimitsModule => {
  const runtime = createLimitsRuntime(config, logger);
  const policy = new LimitsPolicy({
    store,
    config,
    onError: (err) =>
      logger.warn({ err, component: "limits" }, "reloading limits policy failed; serving the cached one"),
  });
  const resolver = new RequestLimitsResolver(policy, { maxKeys: config.keyCacheSize });
  const secret = readUpstreamKey(config.webhooks.secretEnv) ?? null;
  if (secret === null && config.webhooks.url)
    logger.warn(
      { component: "webhooks" },
      "webhooks.url is set but no signing secret (webhooks.secretEnv): spend alerts are audited, not delivered",
    );
  const sender = new WebhookSender({ ...config.webhooks, secret, logger });
  const alerts = new AlertDispatcher({
    store,
    policy,
    sender,
    defaultUrl: config.webhooks.url ?? null,
    logger,
  });
  return {
    runtime,
    policy,
    resolver,
    alerts,
    async close() {
      await alerts.drain().catch(() => {});
      await sender.close();
      await runtime.close();
    },
  };
};
