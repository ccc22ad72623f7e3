import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";
import type { Topology } from "@kurt/topology";
import type { GenericContainer, StartedTestContainer } from "testcontainers";
import { type ComponentContext, ComponentError } from "../components/component.js";
import { CONTAINER_IMAGES } from "./images.js";
import { containerRuntime, loadTestcontainers, type Testcontainers } from "./testcontainers-module.js";

/**
 * Every infrastructure container joins one network namespace, held by a
 * container that does nothing else and publishes the topology's ports on the
 * host. Inside it each server listens on its topology port, so an address
 * such as 127.0.0.1:<kafka broker port> means the same thing to a client on
 * the host and to a container: Redis nodes announce 127.0.0.1:<port> and still
 * reach each other on the cluster bus, Kafka advertises one listener for
 * everybody, and PgBouncer uses the launcher's own configuration (backends at
 * 127.0.0.1:<postgres port>). Containers in separate namespaces could not
 * share those addresses.
 */
export interface Pod {
  readonly tc: Testcontainers;
  readonly holder: StartedTestContainer;
  /** A container in the pod, labelled, with its output appended to the launcher's log for `daemon`. */
  member(image: string, daemon: string): GenericContainer;
}

export interface ContainerSession {
  /** Starts the pod on first use; the components starting side by side share it. */
  pod(ctx: ComponentContext): Promise<Pod>;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** The host ports the tests, the services and Envoy reach the infrastructure on. */
export function publishedPorts(topology: Topology): number[] {
  const { postgres, pgbouncer, redis, kafka } = topology;
  return [postgres.primaryPort, postgres.replicaPort, pgbouncer.port, ...redis.ports, kafka.brokerPort];
}

export function shortId(container: StartedTestContainer): string {
  return container.getId().slice(0, 12);
}

function logInto(file: string, image: string): (stream: Readable) => void {
  return (stream) => {
    const out = createWriteStream(file, { flags: "a" });
    out.write(`--- ${new Date().toISOString()} container of ${image} ---\n`);
    stream.pipe(out);
  };
}

function holderClass(tc: Testcontainers) {
  return class PodHolder extends tc.GenericContainer {
    /** Publishes each port on the same host port; only on `hostIp` (the topology's host) when given. */
    publish(ports: readonly number[], hostIp: string | undefined): this {
      this.withExposedPorts(...ports.map((port) => ({ container: port, host: port })));
      // withExposedPorts binds every interface; the local launcher listens on the topology's host only.
      if (hostIp !== undefined) {
        for (const port of ports)
          this.hostConfig.PortBindings[`${port}/tcp`] = [{ HostIp: hostIp, HostPort: `${port}` }];
      }
      return this;
    }
  };
}

async function startPod(ctx: ComponentContext): Promise<Pod> {
  const tc = await loadTestcontainers();
  const runtime = (await containerRuntime(tc)).info.containerRuntime;
  if (!LOOPBACK_NAMES.has(runtime.host)) {
    throw new ComponentError(
      "containers",
      `the container runtime publishes ports on ${runtime.host}, but the topology expects them on ${ctx.topology.host}; use a Docker engine on this machine`,
    );
  }
  const { host } = ctx.topology;
  if (host !== "127.0.0.1") {
    throw new ComponentError("containers", `the pod's servers announce 127.0.0.1, but the topology's host is ${host}`);
  }
  // A binding on 127.0.0.1 alone is only found again by testcontainers when the runtime's host resolves to IPv4.
  const hostIp = runtime.hostIps.some((ip) => ip.family === 4) ? host : undefined;
  const labels = { "dev.kurt.checkout": ctx.paths.checkoutId };
  const ports = publishedPorts(ctx.topology);
  ctx.say(`containers: starting the pod that publishes ${ports.join(", ")} on ${hostIp ?? "every interface"}`);
  let holder: StartedTestContainer;
  try {
    holder = await new (holderClass(tc))(CONTAINER_IMAGES.redis)
      .publish(ports, hostIp)
      .withLabels({ ...labels, "dev.kurt.role": "pod" })
      // A shell that exits on SIGTERM, where a bare `sleep` would make `docker stop` wait 10 s.
      .withEntrypoint(["sh", "-c"])
      .withCommand(["trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done"])
      .withWaitStrategy(tc.Wait.forSuccessfulCommand("true"))
      .start();
  } catch (error) {
    throw new ComponentError(
      "containers",
      `cannot publish the topology's ports (${ports.join(", ")}): ${(error as Error).message}\nis a local stack running on them? (./kurt down), or set KURT_PORT_BASE`,
    );
  }
  return {
    tc,
    holder,
    member(image, daemon) {
      return new tc.GenericContainer(image)
        .withNetworkMode(`container:${holder.getId()}`)
        .withLabels({ ...labels, "dev.kurt.role": daemon })
        .withLogConsumer(logInto(ctx.supervisor.logFileOf(daemon), image));
    },
  };
}

export function createContainerSession(): ContainerSession {
  let starting: Promise<Pod> | undefined;
  return {
    pod(ctx) {
      starting ??= startPod(ctx).catch((error: unknown) => {
        starting = undefined;
        throw error;
      });
      return starting;
    },
  };
}

/** Pulls images that are missing (and only those): the containers' `install`. */
export async function pullImages(images: readonly string[], say: (line: string) => void): Promise<void> {
  const tc = await loadTestcontainers();
  const client = await containerRuntime(tc);
  for (const image of images) {
    const name = tc.ImageName.fromString(image);
    if (await client.image.exists(name)) continue;
    say(`containers: pulling ${image}`);
    await client.image.pull(name);
  }
}

/** A component's failure to start a container, naming the log its output went to. */
export function containerError(
  ctx: ComponentContext,
  component: string,
  daemon: string,
  error: unknown,
): ComponentError {
  if (error instanceof ComponentError) return error;
  return new ComponentError(
    component,
    `container ${daemon}: ${(error as Error).message}`,
    ctx.supervisor.logFileOf(daemon),
  );
}
