/**
 * The stack's own clicklog replicas, killed with SIGKILL in the middle of a
 * stream of clicks on kurt.clicks.v1: every click is still counted exactly
 * once. With one replica, the test starts it again; with several
 * (KURT_CLICKLOG_REPLICAS=2), the survivors take over the dead one's
 * partitions before it comes back.
 */
import { CLICKS_TOPIC } from "@kurt/contract";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv, topology } from "../../../tests/support/stack.js";
import { createStack } from "../../../tests/support/tool.js";
import { clickEvents, eventually, insertLink, produceClicks, uniqueCode } from "./test-support/clicks.js";
import { getLinkStats, insertApiKey, statsClient } from "./test-support/stats-client.js";

const env = serviceEnv;
const stack = createStack(() => {});
const { supervisor } = stack.context;
const replicas = topology.services.clicklog.grpcPorts.length;
const pool = new pg.Pool({ connectionString: env.KURT_PG_PRIMARY_URL, max: 2 });
const kafka = new Kafka({
  clientId: "clicklog-test",
  brokers: env.KURT_KAFKA_BROKERS.split(","),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer();

/** Clicks counted for `code`, in the rollups and in the raw table (they must always agree). */
async function counted(code: string): Promise<{ rollup: number; raw: number }> {
  const { rows } = await pool.query<{ rollup: number; raw: number }>(
    `select (select coalesce(sum(clicks), 0)::int from click_hourly where code = $1) as rollup,
            (select count(*)::int from clicks where code = $1) as raw`,
    [code],
  );
  return rows[0] as { rollup: number; raw: number };
}

test.before(async () => {
  await producer.connect();
});

test.after(async () => {
  await producer.disconnect();
  await pool.end();
});

test("clicklog killed with SIGKILL mid-stream and started again: the total is still exactly N", async () => {
  const n = 3_000;
  const code = uniqueCode("kill");
  await insertLink(pool, code);
  const events = clickEvents(code, n, new Date());
  const victim = supervisor.pidOf("clicklog-1");
  assert.ok(victim !== undefined, "clicklog-1 runs");

  const started = Date.now();
  await produceClicks(producer, CLICKS_TOPIC, events.slice(0, n / 3), 50);
  process.kill(victim, "SIGKILL");
  const atKill = await counted(code);
  await produceClicks(producer, CLICKS_TOPIC, events.slice(n / 3), 50);

  if (replicas > 1) {
    await eventually(
      "the surviving replicas count every click",
      async () => ((await counted(code)).rollup === n ? true : undefined),
      60_000,
    );
  }
  await stack.services.start(stack.context);
  assert.not.equal(supervisor.pidOf("clicklog-1"), victim, "clicklog-1 was started again");

  const final = await eventually(
    "every click counted after the restart",
    async () => {
      const now = await counted(code);
      return now.rollup >= n ? now : undefined;
    },
    60_000,
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `  ${n} clicks, ${atKill.rollup} counted when clicklog-1 was killed, all counted ${seconds.toFixed(1)} s after the first was sent (${replicas} replica(s))`,
  );
  assert.equal(final, { rollup: n, raw: n });

  // Whatever was redelivered after the restart has been seen by now; nothing may have been counted twice.
  const key = await insertApiKey(pool, ["stats:read"]);
  const client = statsClient(`${topology.host}:${topology.services.clicklog.grpcPorts[0]}`);
  try {
    const stats = await getLinkStats(client, { code }, key);
    assert.is(stats.total, n);
    assert.is(
      stats.series.reduce((sum, point) => sum + point.clicks, 0),
      n,
    );
    assert.is(stats.humanTotal + stats.botTotal, n);
    // The dimension rollups are written in the same statement: none counted a redelivered click either.
    assert.is(
      stats.countries.reduce((sum, country) => sum + country.clicks, 0),
      n,
    );
  } finally {
    client.close();
  }
  assert.equal(await counted(code), { rollup: n, raw: n });
});

test.run();
