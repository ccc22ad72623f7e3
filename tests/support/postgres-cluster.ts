import pg from "pg";
import * as assert from "uvu/assert";
import { describe, request } from "./http-client.js";
import { topology } from "./stack.js";
import { type PatroniMemberState, primaryConnectionString, readHealthyCluster, waitFor } from "./tool.js";

/** The Patroni cluster once all its members run (live) with a leader and a synchronous standby. */
export function healthyCluster(): Promise<readonly PatroniMemberState[]> {
  return waitFor("every member running, a leader and a synchronous standby", () => readHealthyCluster(topology), {
    timeoutMs: 120_000,
    intervalMs: 200,
  });
}

export interface CreateOutcome {
  readonly sentAt: number;
  readonly doneAt: number;
  /** The HTTP status, 0 when no answer came. */
  readonly status: number;
  readonly code?: string;
  readonly detail: string;
}

/** `clients` loops creating links through the gateway, one create at a time each, until stopped; every answer recorded. */
export function startCreates(key: string, prefix: string, clients: number) {
  let running = true;
  const outcomes: CreateOutcome[] = [];
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = 0; running; i += 1) {
      const sentAt = Date.now();
      const body = { url: `https://example.com/${prefix}/${client}/${i}` };
      try {
        const answer = await request("POST", "/v1/links", { key, body, timeoutMs: 30_000 });
        const code = answer.status === 200 ? (answer.json as { code: string }).code : undefined;
        outcomes.push({ sentAt, doneAt: Date.now(), status: answer.status, code, detail: describe(answer) });
      } catch (error) {
        outcomes.push({ sentAt, doneAt: Date.now(), status: 0, detail: (error as Error).message });
      }
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
