import path from "node:path";
import { checkHealth } from "@kurt/platform";
import { SERVICE_NAMES, type ServiceName, type Topology } from "@kurt/topology";
import { ensureBundles, IMAGE_ENTRIES } from "../bundles.js";
import { ensureRedisPassword } from "../redis-password.js";
import { serviceEnvironment } from "../service-environment.js";
import { waitFor } from "../wait.js";
import { type Component, type ComponentContext, ComponentError, type StatusLine } from "./component.js";

export interface Replica {
  readonly service: ServiceName;
  readonly daemon: string;
  readonly grpcPort: number;
  readonly metricsPort: number;
  /** The plain HTTP listener (the resolver's redirects), when the service has one. */
  readonly httpPort: number | undefined;
  readonly instance: string;
}

/** Every replica of the topology, with its daemon name (`resolver-2`) and ports. */
export function serviceReplicas(topology: Topology): Replica[] {
  return SERVICE_NAMES.flatMap((service) =>
    topology.services[service].grpcPorts.map((grpcPort, i) => ({
      service,
      daemon: `${service}-${i + 1}`,
      grpcPort,
      metricsPort: topology.services[service].metricsPorts[i] as number,
      httpPort: topology.services[service].httpPorts[i],
      instance: String(i + 1),
    })),
  );
}

const replicas = (ctx: ComponentContext): Replica[] => serviceReplicas(ctx.topology);

/**
 * Kurt's own services, each replica a Node process on its own gRPC and
 * metrics ports, running the same esbuild bundle as the container image
 * (DESIGN.md §3): a bundle older than any of its sources is rebuilt first.
 */
export function createServicesComponent(): Component {
  return {
    name: "services",
    async install() {},
    async start(ctx) {
      const all = replicas(ctx);
      const rebuilt = await ensureBundles(ctx.paths.root, SERVICE_NAMES);
      if (rebuilt.length > 0) ctx.say(`services: bundled ${rebuilt.join(", ")} (esbuild)`);
      for (const replica of all) {
        await ctx.supervisor.start({
          name: replica.daemon,
          command: process.execPath,
          args: ["--enable-source-maps", path.join(ctx.paths.root, IMAGE_ENTRIES[replica.service].bundle)],
          cwd: ctx.paths.root,
          env: {
            ...serviceEnvironment(ctx.topology, ensureRedisPassword(ctx.paths)),
            KURT_GRPC_PORT: String(replica.grpcPort),
            KURT_METRICS_PORT: String(replica.metricsPort),
            ...(replica.httpPort === undefined ? {} : { KURT_HTTP_PORT: String(replica.httpPort) }),
            KURT_INSTANCE: replica.instance,
          },
        });
      }
      await Promise.all(
        all.map((replica) =>
          waitFor(
            `${replica.daemon} health SERVING`,
            async () => {
              if (ctx.supervisor.pidOf(replica.daemon) === undefined) {
                throw new ComponentError(
                  replica.daemon,
                  "exited during start-up",
                  ctx.supervisor.logFileOf(replica.daemon),
                );
              }
              const status = await checkHealth(`${ctx.topology.host}:${replica.grpcPort}`);
              return status === "SERVING" ? true : undefined;
            },
            { timeoutMs: 60_000 },
          ).catch((error: unknown) => {
            if (error instanceof ComponentError) throw error;
            throw new ComponentError(
              replica.daemon,
              (error as Error).message,
              ctx.supervisor.logFileOf(replica.daemon),
            );
          }),
        ),
      );
      ctx.say(`services: ${all.map((r) => r.daemon).join(", ")} SERVING`);
    },
    async status(ctx) {
      return Promise.all(
        replicas(ctx).map(async (replica): Promise<StatusLine> => {
          const pid = ctx.supervisor.pidOf(replica.daemon);
          const health =
            pid === undefined
              ? "stopped"
              : await checkHealth(`${ctx.topology.host}:${replica.grpcPort}`).catch(() => "no answer");
          return {
            name: replica.daemon,
            up: health === "SERVING",
            port: replica.grpcPort,
            ...(pid === undefined ? {} : { pid }),
            detail: `health ${health}, metrics :${replica.metricsPort}`,
          };
        }),
      );
    },
    daemons(ctx) {
      return replicas(ctx).map((replica) => replica.daemon);
    },
  };
}
