import { ensureDebianPackages } from "../debian-packages.js";
import type { Component, ComponentContext, StatusLine } from "./component.js";
import { preparePostgresLayout, readPostgresLayout } from "./postgres-layout.js";
import { postgresRunAs, runAsOptions } from "./postgres-user.js";
import { waitForDaemon } from "./postgres-wait.js";

/**
 * etcd, Patroni's store: who leads the Postgres cluster, and its settings.
 * One member here (a single etcd is a single point of failure for Patroni's
 * elections, not for a running leader: see docs/failure-modes.md); three in
 * compose. Debian's etcd-server 3.4: Patroni talks to it over the v3 API.
 */

const COMPONENT = "etcd";
export const ETCD_DAEMON = "etcd";
const ETCD_BIN = "/usr/bin/etcd";

function clientUrl(ctx: ComponentContext): string {
  return `http://${ctx.topology.host}:${ctx.topology.etcd.clientPort}`;
}

/** etcd's own health answer: {"health":"true"} once it has a leader (itself) and serves. */
async function isHealthy(ctx: ComponentContext): Promise<boolean> {
  try {
    const response = await fetch(`${clientUrl(ctx)}/health`, { signal: AbortSignal.timeout(1_000) });
    const body = (await response.json()) as { health?: string };
    return response.ok && body.health === "true";
  } catch {
    return false;
  }
}

export function createEtcdComponent(): Component {
  return {
    name: COMPONENT,

    async install(ctx) {
      await ensureDebianPackages(ctx.say, [{ program: ETCD_BIN, pkg: "etcd-server" }]);
    },

    async start(ctx) {
      const runAs = postgresRunAs();
      const layout = await preparePostgresLayout(ctx.paths, runAs, ctx.say);
      const { host, etcd } = ctx.topology;
      if (ctx.supervisor.pidOf(ETCD_DAEMON) === undefined) {
        ctx.say(`etcd: starting on ${host}:${etcd.clientPort}`);
        const peer = `http://${host}:${etcd.peerPort}`;
        await ctx.supervisor.start({
          name: ETCD_DAEMON,
          command: ETCD_BIN,
          args: [
            ...["--name", "kurt-etcd", "--data-dir", layout.etcdDir],
            ...["--listen-client-urls", clientUrl(ctx), "--advertise-client-urls", clientUrl(ctx)],
            ...["--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer],
            ...["--initial-cluster", `kurt-etcd=${peer}`, "--initial-cluster-state", "new"],
            // Only what matters: warnings and errors, not every raft step.
            ...["--log-level", "warn", "--logger", "zap"],
          ],
          ...runAsOptions(runAs),
        });
      }
      await waitForDaemon(ctx, COMPONENT, ETCD_DAEMON, "etcd to serve", async () =>
        (await isHealthy(ctx)) ? true : undefined,
      );
    },

    async status(ctx): Promise<StatusLine[]> {
      const pid = ctx.supervisor.pidOf(ETCD_DAEMON);
      const up = pid !== undefined && (await isHealthy(ctx));
      const where = readPostgresLayout(ctx.paths)?.etcdDir;
      const detail = pid === undefined ? "stopped" : up ? `serving, data in ${where}` : "running but not healthy";
      return [{ name: ETCD_DAEMON, up, port: ctx.topology.etcd.clientPort, pid, detail }];
    },

    daemons() {
      return [ETCD_DAEMON];
    },
  };
}
