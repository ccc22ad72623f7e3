import type { ContainerRuntimeClient } from "testcontainers";
import { ComponentError } from "../components/component.js";

export type Testcontainers = typeof import("testcontainers");

let loading: Promise<Testcontainers> | undefined;

/**
 * testcontainers (and dockerode under it) is loaded only when the container
 * path is chosen, so that `./kurt up` with local processes never pays for it,
 * and never breaks on it: testcontainers 12 brings undici 8, which needs
 * Node >= 22.19 and throws at import on Node 20.
 */
export function loadTestcontainers(): Promise<Testcontainers> {
  loading ??= import("testcontainers").catch((error: unknown) => {
    loading = undefined;
    const hint =
      Number(process.versions.node.split(".")[0]) < 22
        ? " (testcontainers 12 needs Node 22.19 or later; testcontainers 11 runs on Node 20)"
        : "";
    throw new ComponentError(
      "containers",
      `cannot load the testcontainers package on Node ${process.versions.node}${hint}: ${(error as Error).message}`,
    );
  });
  return loading;
}

/** The Docker (or Podman) engine testcontainers finds, or an error that says KURT_INFRA asked for one. */
export async function containerRuntime(tc: Testcontainers): Promise<ContainerRuntimeClient> {
  try {
    return await tc.getContainerRuntimeClient();
  } catch (error) {
    throw new ComponentError(
      "containers",
      `KURT_INFRA=testcontainers needs a container engine: ${(error as Error).message} (is Docker running? DOCKER_HOST?)`,
    );
  }
}
