import { readFileSync } from "node:fs";
import { allPorts, type Topology } from "@kurt/topology";

/**
 * Refuses a port base whose ports fall in the kernel's ephemeral range: any
 * outgoing connection may take such a port first, and a component then fails
 * to start some of the time, on some machines only.
 */
export function assertOutsideEphemeralRange(
  topology: Topology,
  rangeFile = "/proc/sys/net/ipv4/ip_local_port_range",
): void {
  let range: [number, number];
  try {
    const [low, high] = readFileSync(rangeFile, "utf8").trim().split(/\s+/).map(Number);
    if (low === undefined || high === undefined || Number.isNaN(low) || Number.isNaN(high)) return;
    range = [low, high];
  } catch {
    return; // Not Linux, or not readable: nothing to check against.
  }
  const inside = allPorts(topology).filter((port) => port >= range[0] && port <= range[1]);
  if (inside.length > 0) {
    throw new Error(
      `KURT_PORT_BASE=${topology.portBase} puts ports ${inside.slice(0, 3).join(", ")}${inside.length > 3 ? ", …" : ""} ` +
        `in the system's ephemeral range ${range[0]}-${range[1]}, where outgoing connections take ports at random; ` +
        `choose a base whose ports stay below ${range[0]} (the default 24000 does)`,
    );
  }
}
