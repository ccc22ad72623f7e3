import type { PostgresMember, Topology } from "@kurt/topology";

/** A member as Patroni's GET /cluster describes it. */
export interface PatroniMemberState {
  readonly name: string;
  /** "leader", "sync_standby", "replica" (Patroni 3.0 spells them so). */
  readonly role: string;
  /** "running", "streaming", "starting", "stopped", "creating replica"… */
  readonly state: string;
  readonly timeline?: number;
  /** Bytes of WAL this standby has not received yet; absent on the leader. */
  readonly lag?: number | string;
}

const TIMEOUT_MS = 2_000;

function restUrl(topology: Topology, member: PostgresMember, path: string): string {
  return `http://${topology.host}:${member.restPort}${path}`;
}

/** The cluster as the first member that answers sees it; undefined when none answers. */
export async function readClusterState(topology: Topology): Promise<readonly PatroniMemberState[] | undefined> {
  for (const member of topology.postgres.members) {
    try {
      const response = await fetch(restUrl(topology, member, "/cluster"), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) continue;
      const body = (await response.json()) as { members?: PatroniMemberState[] };
      if (Array.isArray(body.members)) return body.members;
    } catch {
      // That member is down or starting: ask the next.
    }
  }
  return undefined;
}

/** The HTTP status the member's REST API answers `path` with (/primary, /replica: Patroni's live checks of its own Postgres); 0 when it does not answer. */
export async function memberRestStatus(topology: Topology, member: PostgresMember, path: string): Promise<number> {
  try {
    const response = await fetch(restUrl(topology, member, path), { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

const answers = async (topology: Topology, member: PostgresMember, path: string) =>
  (await memberRestStatus(topology, member, path)) === 200;

/** The member that answers GET /primary with 200 (Patroni's own check: it holds the leader key and runs). */
export async function findLeader(topology: Topology): Promise<PostgresMember | undefined> {
  const leaders = await Promise.all(topology.postgres.members.map((member) => answers(topology, member, "/primary")));
  return topology.postgres.members.find((_, i) => leaders[i]);
}

/** Running (Patroni 3 says "streaming" of a standby that replicates). */
export const isRunning = (m: PatroniMemberState) => m.state === "running" || m.state === "streaming";

/**
 * The cluster once every member runs, one leads and one is the synchronous
 * standby, checked live: /cluster alone can show the member keys a previous
 * run left in etcd (their leases restart with etcd), so the leader must also
 * answer /primary and every other member /replica.
 */
export async function readHealthyCluster(topology: Topology): Promise<readonly PatroniMemberState[] | undefined> {
  const members = await readClusterState(topology);
  if (members === undefined || members.length !== topology.postgres.members.length) return undefined;
  if (!members.every(isRunning)) return undefined;
  const roles = members.map((m) => m.role);
  if (!roles.includes("leader") || !roles.includes("sync_standby")) return undefined;
  const live = await Promise.all(
    members.map((state) => {
      const member = topology.postgres.members.find((m) => m.name === state.name);
      return member !== undefined && answers(topology, member, state.role === "leader" ? "/primary" : "/replica");
    }),
  );
  return live.every(Boolean) ? members : undefined;
}

/**
 * Merges `settings` into the cluster's dynamic configuration (Patroni's
 * PATCH /config, kept in etcd); Patroni applies only what changed.
 */
export async function patchDynamicConfig(
  topology: Topology,
  member: PostgresMember,
  settings: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(restUrl(topology, member, "/config"), {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(settings),
    signal: AbortSignal.timeout(10_000),
  });
  const text = (await response.text()).trim();
  if (!response.ok) throw new Error(`Patroni refused the settings (HTTP ${response.status}): ${text}`);
}

/**
 * Asks the leader to hand over to `candidate` (or, without one, to the
 * synchronous standby Patroni picks): a clean switchover, the old leader
 * following as a standby. Resolves with Patroni's answer text.
 */
export async function requestSwitchover(
  topology: Topology,
  leader: PostgresMember,
  candidate: string | undefined,
): Promise<string> {
  const response = await fetch(restUrl(topology, leader, "/switchover"), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ leader: leader.name, ...(candidate === undefined ? {} : { candidate }) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = (await response.text()).trim();
  if (!response.ok) throw new Error(`Patroni refused the switchover (HTTP ${response.status}): ${text}`);
  return text;
}
