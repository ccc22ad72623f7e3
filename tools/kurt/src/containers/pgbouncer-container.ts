import type { StartedTestContainer } from "testcontainers";
import { type Component, type ComponentContext, ComponentError } from "../components/component.js";
import { PGBOUNCER_DAEMON } from "../components/pgbouncer.js";
import { renderPgBouncerFiles } from "../components/pgbouncer-config.js";
import { pgbouncerConnectionString, withPgClient } from "../components/postgres-connection.js";
import { waitFor } from "../wait.js";
import { CONTAINER_IMAGES } from "./images.js";
import { type ContainerSession, containerError, pullImages, shortId } from "./pod.js";
import type { PostgresContainers } from "./postgres-containers.js";

/**
 * PgBouncer in the pod, from the launcher's own pgbouncer.ini: its backends,
 * 127.0.0.1:<primary port> and 127.0.0.1:<replica port>, are the Postgres
 * containers on the pod's loopback.
 */

const COMPONENT = "pgbouncer";
const CONFIG_DIR = "/etc/pgbouncer";

/** Published ports arrive on the pod's interface, not its loopback, so PgBouncer listens on every interface. */
export function listenOnEveryInterface(ini: string): string {
  const line = /^listen_addr = .*$/m;
  if (!line.test(ini)) throw new ComponentError(COMPONENT, "the rendered pgbouncer.ini has no listen_addr line");
  return ini.replace(line, "listen_addr = *");
}

async function scramSecret(postgres: PostgresContainers, user: string): Promise<string> {
  const admin = postgres.adminConfig();
  if (admin === undefined)
    throw new ComponentError(COMPONENT, "the Postgres containers are not running; start postgres first");
  const secret = await withPgClient(admin, async (client) => {
    const { rows } = await client.query<{ secret: string | null }>(
      "select rolpassword as secret from pg_authid where rolname = $1",
      [user],
    );
    return rows[0]?.secret;
  });
  if (!secret?.startsWith("SCRAM-SHA-256$")) {
    throw new ComponentError(COMPONENT, `role ${user} has no scram-sha-256 password on the primary`);
  }
  return secret;
}

/** The same question the local component asks: each pooled name reaches the right node. */
async function routesAnswer(ctx: ComponentContext): Promise<true> {
  for (const which of ["primary", "replica"] as const) {
    await withPgClient(pgbouncerConnectionString(ctx.topology, which), async (client) => {
      const { rows } = await client.query<{ recovering: boolean }>("select pg_is_in_recovery() as recovering");
      if (rows[0]?.recovering !== (which === "replica")) {
        throw new Error(`${which} database name is routed to the wrong Postgres node`);
      }
    });
  }
  return true;
}

export function createPgBouncerContainer(session: ContainerSession, postgres: PostgresContainers): Component {
  let container: StartedTestContainer | undefined;
  return {
    name: COMPONENT,

    async install(ctx) {
      await pullImages([CONTAINER_IMAGES.pgbouncer], ctx.say);
    },

    async start(ctx) {
      if (container !== undefined) {
        await waitFor("a query through PgBouncer", () => routesAnswer(ctx), { timeoutMs: 30_000 });
        return;
      }
      const files = renderPgBouncerFiles(
        CONFIG_DIR,
        ctx.topology,
        await scramSecret(postgres, ctx.topology.postgres.user),
      );
      const { tc, member } = await session.pod(ctx);
      ctx.say(`pgbouncer: starting the container on port ${ctx.topology.pgbouncer.port}`);
      try {
        container = await member(CONTAINER_IMAGES.pgbouncer, PGBOUNCER_DAEMON)
          // Readable by the image's unprivileged user; the secret is a scram verifier, not the password.
          .withCopyContentToContainer([
            { content: listenOnEveryInterface(files.ini), target: files.iniFile, mode: 0o644 },
            { content: files.userlist, target: files.authFile, mode: 0o644 },
          ])
          .withCommand(["pgbouncer", files.iniFile])
          .withWaitStrategy(tc.Wait.forLogMessage(/process up/))
          .start();
        await waitFor("a query through PgBouncer to each node", () => routesAnswer(ctx), { timeoutMs: 60_000 });
      } catch (error) {
        throw containerError(ctx, COMPONENT, PGBOUNCER_DAEMON, error);
      }
    },

    async status(ctx) {
      const { port, primaryDatabase, replicaDatabase } = ctx.topology.pgbouncer;
      if (container === undefined) {
        return [{ name: PGBOUNCER_DAEMON, up: false, port, detail: "no container started by this process" }];
      }
      const routes = `${primaryDatabase}→primary, ${replicaDatabase}→replica, transaction pooling`;
      try {
        await routesAnswer(ctx);
        return [{ name: PGBOUNCER_DAEMON, up: true, port, detail: `container ${shortId(container)}, ${routes}` }];
      } catch (error) {
        return [
          {
            name: PGBOUNCER_DAEMON,
            up: false,
            port,
            detail: `container ${shortId(container)} not answering: ${(error as Error).message}`,
          },
        ];
      }
    },

    daemons: () => [],
  };
}
