import type { Command } from "commander";
import { ConfigError, loadConfig } from "../config/load.js";
import { generateKey } from "../domain/keys.js";
import { createKeyplane } from "../main.js";

const banner = (url: string, orgId: string, projectId: string, adminKey: string | null): string => {
  const lines = ["", "Keyplane is initialised.", `  organization: ${orgId}`, `  project:      ${projectId}`];
  if (adminKey) {
    lines.push(
      "",
      "  Admin key (shown ONCE — store it in your secret manager now):",
      `  ${adminKey}`,
      "",
      "  Try it:",
      `  export KEYPLANE_ADMIN_KEY=${adminKey}`,
      `  curl -H "Authorization: Bearer $KEYPLANE_ADMIN_KEY" ${url}/v1/organizations/${orgId}/projects/${projectId}/apikeys`,
    );
  }
  return `${lines.join("\n")}\n`;
};

const fail = (err: unknown): never => {
  const msg = err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err);
  console.error(`keyplane: ${msg}`);
  process.exit(1);
};

export const registerServerCommands = (program: Command): void => {
  program
    .command("serve")
    .description("Start the server (admin API, gateway, dashboard) on its configured address")
    .option("--host <host>", "listen address (KEYPLANE_HOST)")
    .option("--port <port>", "listen port (KEYPLANE_PORT)")
    .addHelpText(
      "after",
      "\nExamples:\n  keyplane serve\n  KEYPLANE_DATABASE_URL=postgres://postgres@127.0.0.1/keyplane keyplane serve --port 9000",
    )
    .action(async (o: { host?: string; port?: string }) => {
      try {
        const config = loadConfig({
          overrides: { ...(o.host ? { host: o.host } : {}), ...(o.port ? { port: Number(o.port) } : {}) },
        });
        const kp = await createKeyplane(config);
        const url = await kp.listen();
        if (kp.bootstrap.created)
          process.stdout.write(
            banner(url, kp.bootstrap.orgId, kp.bootstrap.projectId, kp.bootstrap.adminKey),
          );
        kp.logger.info({ url }, "keyplane listening");
        const stop = async () => {
          await kp.close();
          process.exit(0);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      } catch (err) {
        fail(err);
      }
    });

  program
    .command("init")
    .description("Create the data directory, run migrations and bootstrap the first organization, then exit")
    .action(async () => {
      try {
        const config = loadConfig({ overrides: { logLevel: "warn" } });
        const kp = await createKeyplane(config);
        const url = `http://${config.host}:${config.port}`;
        process.stdout.write(
          kp.bootstrap.created
            ? banner(url, kp.bootstrap.orgId, kp.bootstrap.projectId, kp.bootstrap.adminKey)
            : "Keyplane was already initialised; nothing changed.\n",
        );
        await kp.close();
      } catch (err) {
        fail(err);
      }
    });

  program
    .command("keygen")
    .description("Print a fresh, well-formed key offline (e.g. for KEYPLANE_ADMIN_KEY)")
    .argument("[kind]", "admin | project | service_account", "admin")
    .action((kind: string) => {
      if (kind !== "admin" && kind !== "project" && kind !== "service_account")
        fail(new Error(`unknown key kind "${kind}"; use admin, project or service_account`));
      process.stdout.write(`${generateKey(kind as "admin" | "project" | "service_account")}\n`);
    });
};
