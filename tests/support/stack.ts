import { serviceEnvironment } from "@kurt/tool";
import { loadTopology } from "@kurt/topology";

/** The running stack's addresses, from the same topology the launcher used. */
export const topology = loadTopology();
export const serviceEnv = serviceEnvironment(topology);
export const gatewayUrl = `http://${topology.host}:${topology.envoy.httpPort}`;
export const adminUrl = `http://${topology.host}:${topology.envoy.adminPort}`;

/** A name no other run of the suite will use, so reruns against one stack never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The gateway's own base URL: short links are `${publicUrl}/${code}` (KURT_PUBLIC_URL of the services). */
export const publicUrl = serviceEnv.KURT_PUBLIC_URL;
