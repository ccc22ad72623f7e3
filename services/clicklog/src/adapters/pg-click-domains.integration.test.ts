/**
 * Links of two domains sharing a code, against the stack's Postgres: their
 * click events go through the decoder, the ingest and the store the way the
 * Kafka consumer hands them on (in one batch, mixed), and each domain's stats
 * count its own clicks only. Kafka is left out: what it adds is tested by
 * click-pipeline.integration.test.ts.
 */

import { ClickEvent } from "@kurt/contract";
import { openCountryLookup } from "@kurt/geoip";
import { createPostgresPool } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceEnv } from "../../../../tests/support/stack.js";
import type { RawClick } from "../domain/click.js";
import { createClickEnricher } from "../domain/click-enricher.js";
import { createClickIngest } from "../domain/click-ingest.js";
import { createClickRetention } from "../domain/click-retention.js";
import { createLinkStats, type LinkStats } from "../domain/link-stats.js";
import { clickEvents, expectedStats, insertLink, uniqueCode } from "../test-support/clicks.js";
import { decodeClickMessage } from "./click-event-decoder.js";
import { createPgClickPartitions } from "./pg-click-partitions.js";
import { createPgClickStore } from "./pg-click-store.js";
import { createPgStatsStore } from "./pg-stats-store.js";
import { createPgVisitorKeys } from "./pg-visitor-keys.js";
import { createUaParserClassifier } from "./ua-parser-classifier.js";

const env = serviceEnv;
const publicHost = new URL(env.KURT_PUBLIC_URL).host;
const pool = createPostgresPool({
  connectionString: env.KURT_PG_PRIMARY_URL,
  maxConnections: 4,
  timeoutMs: 10_000,
  onIdleError: () => {},
});
const geo = openCountryLookup();
const ingest = createClickIngest({
  enrich: createClickEnricher({
    classifier: createUaParserClassifier(),
    visitorKeys: createPgVisitorKeys(pool),
    countryOf: (address) => geo.lookup(address),
  }),
  store: createPgClickStore(pool),
  partitions: createPgClickPartitions(pool),
  retention: createClickRetention(90),
});
const stats = createLinkStats({ store: createPgStatsStore(pool), defaultHost: publicHost });

/** The events as the consumer gets them from kurt.clicks.v1. */
function decoded(events: readonly ClickEvent[]): RawClick[] {
  return events.map((event, i) => {
    const result = decodeClickMessage(Buffer.from(ClickEvent.encode(event).finish()), String(Date.now()));
    if (!("click" in result)) throw new Error(`event ${i}: ${result.problem}`);
    return result.click;
  });
}

function asMap(values: LinkStats["referrers"]): Map<string, number> {
  return new Map(values.map((v) => [v.value, v.clicks]));
}

function assertCounts(actual: LinkStats, events: readonly ClickEvent[], what: string): void {
  const expected = expectedStats(events);
  assert.equal(
    [actual.total, actual.humanTotal, actual.botTotal, actual.uniqueVisitors],
    [expected.total, expected.humanTotal, expected.botTotal, expected.uniqueVisitors],
    `${what}: total, human, bot, visitors`,
  );
  assert.is(
    actual.series.reduce((sum, point) => sum + point.clicks, 0),
    expected.total,
    `${what}: the series adds up`,
  );
  assert.equal(asMap(actual.referrers), expected.referrers, `${what}: referrers`);
  assert.equal(asMap(actual.browsers), expected.browsers, `${what}: browsers`);
  assert.equal(asMap(actual.devices), expected.devices, `${what}: devices`);
  assert.equal(asMap(actual.countries), expected.countries, `${what}: countries`);
}

test.after(async () => {
  await pool.end();
});

test("the same code on two domains: each domain's stats count only its own clicks", async () => {
  const code = uniqueCode("dom");
  const other = `${uniqueCode("go")}.example`;
  await insertLink(pool, code);
  await insertLink(pool, code, other);
  const now = new Date();
  // The same visitors (addresses and agents) on both: they are told apart by domain too.
  const home = clickEvents(code, 120, now, 20);
  const away = clickEvents(code, 45, now, 20, other);
  const mixed = home.flatMap((event, i) => (i < away.length ? [event, away[i] as ClickEvent] : [event]));
  const result = await ingest(decoded(mixed));
  assert.equal([result.stored, result.duplicates, result.invalid], [165, 0, []]);

  const ofHome = await stats({ code });
  assertCounts(ofHome, home, "the default domain");
  assert.is(ofHome.domain, publicHost, "the default domain is shown by the public host");
  assert.equal(await stats({ code, domain: publicHost }), ofHome, "asked by the public host: the same");

  const ofOther = await stats({ code, domain: other.toUpperCase() });
  assertCounts(ofOther, away, other);
  assert.is(ofOther.domain, other);

  const raw = await pool.query<{ domain: string; clicks: number }>(
    "select domain, count(*)::int as clicks from clicks where code = $1 group by domain order by domain",
    [code],
  );
  assert.equal(raw.rows, [
    { domain: "", clicks: 120 },
    { domain: other, clicks: 45 },
  ]);

  // Delivered again (a redelivery after a crash): neither domain's counts change.
  assert.is((await ingest(decoded(mixed))).stored, 0);
  assert.equal(await stats({ code, domain: other }), ofOther);
  assert.equal(await stats({ code }), ofHome);
});

test("a domain's link without clicks has zero counts; a domain without that link is NOT_FOUND", async () => {
  const code = uniqueCode("dom");
  const idle = `${uniqueCode("idle")}.example`;
  await insertLink(pool, code);
  await insertLink(pool, code, idle);
  await ingest(decoded(clickEvents(code, 10, new Date())));
  const ofIdle = await stats({ code, domain: idle });
  assert.equal([ofIdle.domain, ofIdle.total, ofIdle.uniqueVisitors, ofIdle.referrers], [idle, 0, 0, []]);
  assert.is((await stats({ code })).total, 10);
  try {
    await stats({ code, domain: `${uniqueCode("none")}.example` });
  } catch (error) {
    assert.is((error as { code?: string }).code, "not_found");
    return;
  }
  assert.unreachable("a domain without the link answered stats");
});

test.run();
