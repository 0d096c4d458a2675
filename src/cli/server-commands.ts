import { Argument, type Command } from "commander";
import { generateKey } from "../domain/keys.js";

const banner = (
  url: string,
  orgId: string,
  projectId: string,
  adminKey: string | null,
  ownerSetupToken: string | null = null,
): string => {
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
  if (ownerSetupToken) {
    lines.push(
      "",
      "  Dashboard: open this one-time link to set the password of owner@keyplane.local",
      "  (works once, for 7 days; afterwards sign in at the same address):",
      `  ${url}/#/set-password/${ownerSetupToken}`,
    );
  }
  return `${lines.join("\n")}\n`;
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
      const { loadConfig } = await import("../config/load.js");
      const { createKeyplane } = await import("../main.js");
      const config = loadConfig({
        overrides: { ...(o.host ? { host: o.host } : {}), ...(o.port ? { port: Number(o.port) } : {}) },
      });
      const kp = await createKeyplane(config);
      const url = await kp.listen();
      if (kp.bootstrap.created)
        process.stdout.write(
          banner(
            url,
            kp.bootstrap.orgId,
            kp.bootstrap.projectId,
            kp.bootstrap.adminKey,
            kp.bootstrap.ownerSetupToken,
          ),
        );
      kp.logger.info({ url }, "keyplane listening");
      const stop = async () => {
        await kp.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });

  program
    .command("init")
    .description("Create the data directory, run migrations and bootstrap the first organization, then exit")
    .addHelpText("after", "\nExamples:\n  keyplane init\n  KEYPLANE_DATA_DIR=/var/lib/keyplane keyplane init")
    .action(async () => {
      const { loadConfig } = await import("../config/load.js");
      const { createKeyplane } = await import("../main.js");
      const config = loadConfig({ overrides: { logLevel: "warn" } });
      const kp = await createKeyplane(config);
      const url = `http://${config.host}:${config.port}`;
      process.stdout.write(
        kp.bootstrap.created
          ? banner(
              url,
              kp.bootstrap.orgId,
              kp.bootstrap.projectId,
              kp.bootstrap.adminKey,
              kp.bootstrap.ownerSetupToken,
            )
          : "Keyplane was already initialised; nothing changed.\n",
      );
      await kp.close();
    });

  program
    .command("keygen")
    .description("Print a fresh, well-formed key offline (e.g. for KEYPLANE_ADMIN_KEY)")
    .addArgument(
      new Argument("[kind]", "kind of key").choices(["admin", "project", "service_account"]).default("admin"),
    )
    .addHelpText(
      "after",
      "\nExamples:\n  keyplane keygen\n  export KEYPLANE_ADMIN_KEY=$(keyplane keygen admin)",
    )
    .action((kind: "admin" | "project" | "service_account") => {
      process.stdout.write(`${generateKey(kind)}\n`);
    });
};
