import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import * as assert from "uvu/assert";
import { describe, request } from "./http-client.js";
import { topology } from "./stack.js";
import {
  memberConnectionString,
  memberRestStatus,
  type PatroniMemberState,
  postgresMemberDir,
  primaryConnectionString,
  readHealthyCluster,
  resolvePaths,
  waitFor,
} from "./tool.js";

/** The Patroni cluster once all its members run (live) with a leader and a synchronous standby. */
export function healthyCluster(): Promise<readonly PatroniMemberState[]> {
  return waitFor("every member running, a leader and a synchronous standby", () => readHealthyCluster(topology), {
    timeoutMs: 120_000,
    intervalMs: 200,
  });
}

/** The pid of a member's postmaster, from the postmaster.pid file in its data folder. */
export function postmasterPid(member: string): number {
  const dir = postgresMemberDir(resolvePaths(), member);
  if (dir === undefined) throw new Error("no Postgres layout in this state folder");
  return Number(readFileSync(`${dir}/postmaster.pid`, "utf8").split("\n")[0]);
}

/** The HTTP status a member's Patroni REST API answers `path` with (GET /primary: 200 on the leader), 0 when it does not answer. */
export function patroniStatus(member: string, path: string): Promise<number> {
  const found = topology.postgres.members.find((m) => m.name === member);
  if (found === undefined) throw new Error(`no Postgres member ${member}`);
  return memberRestStatus(topology, found, path);
}

export interface CreateOutcome {
  readonly sentAt: number;
  readonly doneAt: number;
  /** The HTTP status, 0 when no answer came. */
  readonly status: number;
  readonly code?: string;
  /** The long URL sent; each create sends its own. */
  readonly url: string;
  readonly detail: string;
}

/**
 * `clients` loops creating links through the gateway, one create at a time each, until stopped; every answer
 * recorded. With `minIntervalMs`, each loop sends at most one create per that many ms: on a fast machine,
 * unpaced loops exceed the key's write rate limit (100 per second) and are answered 429.
 */
export function startCreates(
  key: string,
  prefix: string,
  clients: number,
  { minIntervalMs = 0 }: { minIntervalMs?: number } = {},
) {
  let running = true;
  const outcomes: CreateOutcome[] = [];
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; running; i += 1) {
      const sentAt = Date.now();
      const url = `https://example.com/${prefix}/${client}/${i}`;
      const body = { url };
      try {
        const answer = await request("POST", "/v1/links", { key, body, timeoutMs: 30_000 });
        const code = answer.status === 200 ? (answer.json as { code: string }).code : undefined;
        outcomes.push({ sentAt, doneAt: Date.now(), status: answer.status, code, url, detail: describe(answer) });
      } catch (error) {
        outcomes.push({ sentAt, doneAt: Date.now(), status: 0, url, detail: (error as Error).message });
      }
      const wait = sentAt + minIntervalMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
  });
  return {
    outcomes,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Asserts that every acknowledged create has its own code and is in the links table exactly once, on the leader. */
export async function assertEachStoredOnce(acknowledged: readonly CreateOutcome[]): Promise<void> {
  const codes = acknowledged.map((o) => o.code as string);
  assert.is(new Set(codes).size, codes.length, "every acknowledged create has a code of its own");
  const client = new pg.Client({ connectionString: primaryConnectionString(topology) });
  await client.connect();
  try {
    const { rows } = await client.query<{ code: string; n: string }>(
      "select code, count(*)::text as n from links where code = any($1) group by code",
      [codes],
    );
    const found = new Map(rows.map((r) => [r.code, Number(r.n)]));
    const missing = codes.filter((code) => !found.has(code));
    assert.equal(missing, [], `acknowledged creates missing: ${missing.slice(0, 5).join(", ")}`);
    const doubled = rows.filter((r) => r.n !== "1").map((r) => r.code);
    assert.equal(doubled, [], "each acknowledged create is there once");
  } finally {
    await client.end();
  }
}

/** How many of these creates' URLs are in the links table (a create that failed may still have committed). */
export async function countStoredUrls(outcomes: readonly CreateOutcome[]): Promise<number> {
  const client = new pg.Client({ connectionString: primaryConnectionString(topology) });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("select count(*)::text as n from links where url = any($1)", [
      outcomes.map((o) => o.url),
    ]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * Pauses WAL replay on every standby (each running member in recovery,
 * reached directly: the router's replica port may hand a reader any of
 * them) and waits until each has paused; resolves with the resume.
 */
export async function pauseReplayOnStandbys(): Promise<() => Promise<void>> {
  const standbys: pg.Client[] = [];
  let primary: pg.Client | undefined;
  const resume = async () => {
    await primary?.end().catch(() => {});
    await Promise.all(
      standbys.map(async (client) => {
        await client.query("select pg_wal_replay_resume()").catch(() => {});
        await client.end().catch(() => {});
      }),
    );
  };
  try {
    for (const member of topology.postgres.members) {
      const client = new pg.Client({
        connectionString: memberConnectionString(topology, member),
        connectionTimeoutMillis: 5_000,
      });
      client.on("error", () => {});
      try {
        await client.connect();
      } catch {
        continue; // a stopped member serves no reads
      }
      const { rows } = await client.query<{ standby: boolean }>("select pg_is_in_recovery() as standby");
      if (rows[0]?.standby !== true) {
        if (primary === undefined) primary = client;
        else await client.end();
        continue;
      }
      standbys.push(client);
      await client.query("select pg_wal_replay_pause()");
    }
    assert.ok(standbys.length > 0, "a standby to pause");
    // The request takes effect before the next WAL record a standby would replay. CI runs 130dc47 and 904f96c
    // waited 5 s and 15 s in vain for "paused" (a standby that receives no record never gets there), so the
    // primary writes a record (a WAL message, no table) while we wait.
    let nudgedAt = 0;
    await waitFor(
      "replay to be paused on every standby",
      async () => {
        const states = await Promise.all(
          standbys.map(async (c) => {
            const state = (await c.query("select pg_get_wal_replay_pause_state() as s")).rows[0]?.s;
            // Something (Patroni) resumed replay since we asked: ask again.
            if (state === "not paused") await c.query("select pg_wal_replay_pause()");
            return state;
          }),
        );
        if (states.every((state) => state === "paused")) return true;
        if (primary !== undefined && Date.now() - nudgedAt > 200) {
          nudgedAt = Date.now();
          await primary.query("select pg_logical_emit_message(false, 'kurt-test', 'nudge')").catch(() => {});
        }
        return undefined;
      },
      { timeoutMs: 15_000, intervalMs: 20 },
    );
    return resume;
  } catch (error) {
    await resume();
    throw error;
  }
}
