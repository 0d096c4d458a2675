import { type Command, Option } from "commander";
import { BadRequestError, type KeyLimits, type KeyplaneClient } from "../../sdk/index.js";
import { type CommandContext, contextFor } from "../context.js";
import { usageError } from "../exit.js";
import { collectList, parseDuration, parsePositiveInt, parseUsd } from "../parse.js";
import { resolveKeyProject } from "../resolve.js";
import { keyColumns, showKey, showSecret } from "./key-render.js";
import { collect, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const PERMISSIONS = ["all", "read", "read-only", "restricted"] as const;

interface SettingsFlags {
  permissions?: (typeof PERMISSIONS)[number];
  allow?: string[];
  models?: string[];
  rpm?: number;
  rpd?: number;
  tpm?: number;
  tpd?: number;
  maxConcurrent?: number;
  budget?: number | false;
  expires?: number | false;
}

interface KeyRef {
  project?: string;
  org?: string;
}

/** OpenAI's permission modes → its `scopes` list; undefined when no flag asks for a change. */
const scopesFrom = (f: SettingsFlags): string[] | undefined => {
  const mode = f.permissions ?? (f.allow ? "restricted" : undefined);
  if (mode === undefined) return undefined;
  if (mode !== "restricted" && f.allow)
    throw usageError(`--allow only applies to --permissions restricted (got --permissions ${mode}).`);
  if (mode === "all") return [];
  if (mode === "read" || mode === "read-only") return ["api.all.read"];
  if (!f.allow || f.allow.length === 0)
    throw usageError(
      "--permissions restricted needs at least one --allow <scope>, e.g. --allow model.request.",
    );
  return f.allow;
};

const limitsFrom = (f: SettingsFlags, base: KeyLimits | null): KeyLimits | undefined => {
  const given = [f.rpm, f.rpd, f.tpm, f.tpd, f.maxConcurrent].some((v) => v !== undefined);
  if (!given) return undefined;
  return {
    rpm: f.rpm ?? base?.rpm ?? null,
    rpd: f.rpd ?? base?.rpd ?? null,
    tpm: f.tpm ?? base?.tpm ?? null,
    tpd: f.tpd ?? base?.tpd ?? null,
    max_concurrent: f.maxConcurrent ?? base?.max_concurrent ?? null,
  };
};

const settingsOptions = (cmd: Command, forUpdate: boolean): Command => {
  cmd
    .addOption(new Option("--permissions <mode>", "what the key may do").choices(PERMISSIONS))
    .option(
      "--allow <scopes>",
      "scopes for restricted keys, e.g. model.request (repeatable, comma-separated)",
      collectList,
    )
    .option(
      "--models <models>",
      "models the key may call, e.g. gpt-4o-mini (repeatable, comma-separated)",
      collectList,
    )
    .option("--rpm <n>", "requests per minute", parsePositiveInt)
    .option("--rpd <n>", "requests per day", parsePositiveInt)
    .option("--tpm <n>", "tokens per minute", parsePositiveInt)
    .option("--tpd <n>", "tokens per day", parsePositiveInt)
    .option("--max-concurrent <n>", "requests in flight at once", parsePositiveInt)
    .option("--budget <usd>", "hard spend cap in USD, e.g. 20", parseUsd)
    .option("--expires <duration>", "lifetime from now, e.g. 90d, 24h", parseDuration);
  if (forUpdate)
    cmd
      .option("--all-models", "allow every model again")
      .option("--no-budget", "remove the spend cap")
      .option("--no-expires", "never expire");
  return cmd;
};

/** The OpenAI path by default; `--org` switches to the multi-organization path (needed for service-account keys). */
const keyApi = (client: KeyplaneClient, org: string | undefined) => ({
  list: (p: string, limit: number) =>
    org ? client.organizations.keys.list(org, p, { limit }) : client.keys.list(p, { limit }),
  retrieve: (p: string, k: string) =>
    org ? client.organizations.keys.retrieve(org, p, k) : client.keys.retrieve(p, k),
});

const locate = async (ctx: CommandContext, keyId: string, ref: KeyRef): Promise<string> =>
  ref.project ?? resolveKeyProject(ctx.client(), keyId);

const projectOption = (cmd: Command, required: boolean): Command => {
  const o = new Option(
    "-p, --project <id>",
    required ? "project id (proj_…)" : "project id (found from the key when omitted)",
  );
  if (required) o.makeOptionMandatory();
  return cmd.addOption(o).option("--org <id>", "use the multi-organization path /v1/organizations/<id>/…");
};

export const registerKeyCommands = (program: Command): void => {
  const keys = program
    .command("keys")
    .description("Create, list, inspect, update, rotate and revoke project API keys")
    .addHelpText(
      "after",
      `
Examples:
  keyplane keys create --project proj_abc --name ci-bot --permissions restricted \\
      --allow model.request --models gpt-4o-mini --rpm 60 --budget 20 --expires 90d
  keyplane keys create --project proj_abc --name ci-bot --quiet | vault kv put secret/ci key=-
  keyplane keys list --project proj_abc
  keyplane keys rotate key_abc --grace 24h
  keyplane keys revoke key_abc`,
    );

  const create = keys
    .command("create")
    .description("Create a project key; its secret is shown once")
    .requiredOption("-n, --name <name>", "a name to recognise the key by")
    .option("--owner <user_id>", "owning user (default: the admin key's user)")
    .option("--service-account <id>", "make it a service account's key")
    .option("-q, --quiet", "print only the secret (for piping into a secret manager)");
  projectOption(create, true);
  settingsOptions(create, false).action(
    async (o: KeyRef & SettingsFlags & Record<string, unknown>, cmd: Command) => {
      const ctx = contextFor(cmd);
      const scopes = scopesFrom(o);
      const limits = limitsFrom(o, null);
      const body = {
        name: String(o.name),
        ...(typeof o.owner === "string" ? { owner_user_id: o.owner } : {}),
        ...(typeof o.serviceAccount === "string" ? { service_account_id: o.serviceAccount } : {}),
        ...(scopes ? { scopes } : {}),
        ...(o.models ? { models: o.models } : {}),
        ...(limits ? { limits } : {}),
        ...(typeof o.budget === "number" ? { budget_usd: o.budget } : {}),
        ...(typeof o.expires === "number" ? { expires_in_seconds: o.expires } : {}),
      };
      const project = o.project ?? "";
      const client = ctx.client();
      const k = o.org
        ? await client.organizations.keys.create(o.org, project, body)
        : await client.keys.create(project, body);
      if (o.quiet) ctx.out.line(k.value);
      else if (ctx.out.json) ctx.out.data(k);
      else showSecret(ctx.out, "Created", k);
    },
  );

  const list = keys.command("list").description("List a project's keys (every page)");
  projectOption(list, true);
  pageLimitOption(list).action(async (o: KeyRef & { limit?: number }, cmd: Command) => {
    const ctx = contextFor(cmd);
    const pager = keyApi(ctx.client(), o.org).list(o.project ?? "", pageSize(o.limit));
    const { items, hasMore } = await collect(pager, o.limit);
    if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
    else ctx.out.table(items, keyColumns, "(no keys)");
  });

  const get = keys.command("get").description("Show one key").argument("<key_id>");
  projectOption(get, false).action(async (keyId: string, o: KeyRef, cmd: Command) => {
    const ctx = contextFor(cmd);
    const project = await locate(ctx, keyId, o);
    const k = await keyApi(ctx.client(), o.org).retrieve(project, keyId);
    if (ctx.out.json) ctx.out.data(k);
    else showKey(ctx.out, k);
  });

  const update = keys
    .command("update")
    .description("Change a key's name, permissions, models, limits, budget or expiry")
    .argument("<key_id>")
    .option("-n, --name <name>", "new name");
  projectOption(update, false);
  settingsOptions(update, true).action(
    async (
      keyId: string,
      o: KeyRef & SettingsFlags & { name?: string; allModels?: boolean },
      cmd: Command,
    ) => {
      const ctx = contextFor(cmd);
      const project = await locate(ctx, keyId, o);
      const client = ctx.client();
      const scopes = scopesFrom(o);
      // The API replaces `limits` whole; merge so `--rpm 10` keeps the other limits.
      const current = limitsFrom(o, null) ? await keyApi(client, o.org).retrieve(project, keyId) : undefined;
      const limits = limitsFrom(o, current?.limits ?? null);
      if (o.allModels && o.models) throw usageError("use either --models or --all-models, not both.");
      const body = {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(scopes ? { scopes } : {}),
        ...(o.models ? { models: o.models } : o.allModels ? { models: null } : {}),
        ...(limits ? { limits } : {}),
        ...(o.budget === false
          ? { budget_usd: null }
          : o.budget !== undefined
            ? { budget_usd: o.budget }
            : {}),
        ...(o.expires === false
          ? { expires_in_seconds: null }
          : o.expires !== undefined
            ? { expires_in_seconds: o.expires }
            : {}),
      };
      if (Object.keys(body).length === 0)
        throw usageError("nothing to change; see `keyplane keys update --help`.");
      const k = o.org
        ? await client.organizations.keys.update(o.org, project, keyId, body)
        : await client.keys.update(project, keyId, body);
      if (ctx.out.json) ctx.out.data(k);
      else {
        ctx.out.success(`Updated ${k.id}`);
        showKey(ctx.out, k);
      }
    },
  );

  const rotate = keys
    .command("rotate")
    .description("Issue a new secret for the same key id; the old one works for the grace period")
    .argument("<key_id>")
    .option("--grace <duration>", "how long the old secret keeps working, e.g. 24h (max 7d)", parseDuration)
    .option("-q, --quiet", "print only the new secret");
  projectOption(rotate, false).action(
    async (keyId: string, o: KeyRef & { grace?: number; quiet?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const project = await locate(ctx, keyId, o);
      const client = ctx.client();
      const body = o.grace === undefined ? {} : { grace_period_seconds: o.grace };
      const k = o.org
        ? await client.organizations.keys.rotate(o.org, project, keyId, body)
        : await client.keys.rotate(project, keyId, body);
      if (o.quiet) ctx.out.line(k.value);
      else if (ctx.out.json) ctx.out.data(k);
      else showSecret(ctx.out, "Rotated", k);
    },
  );

  const revoke = keys.command("revoke").description("Revoke a key at once").argument("<key_id>");
  projectOption(revoke, false).action(async (keyId: string, o: KeyRef, cmd: Command) => {
    const ctx = contextFor(cmd);
    const project = await locate(ctx, keyId, o);
    const client = ctx.client();
    try {
      const r = o.org
        ? await client.organizations.keys.revoke(o.org, project, keyId)
        : await client.keys.revoke(project, keyId);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Revoked ${r.id}`);
    } catch (err) {
      if (err instanceof BadRequestError && /service account/i.test(err.message))
        throw usageError(
          `${keyId} belongs to a service account: pass --org <organization id> to revoke it, or delete the service account.`,
        );
      throw err;
    }
  });
};
