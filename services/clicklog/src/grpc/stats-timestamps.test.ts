/**
 * StatsService in process, over a real gRPC connection, with a store in
 * memory: `from` and `to` as any client (or a transcoded `?from.seconds=`)
 * can put them on the wire. Out-of-range and unreadable times are
 * INVALID_ARGUMENT naming the field, and the store is never asked.
 */
import { Client, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { GetLinkStatsRequest, Stats, StatsInterval } from "@kurt/contract";
import {
  createLogger,
  createMetrics,
  type RunningGrpcServer,
  startGrpcServer,
  UnreadableTimestamp,
} from "@kurt/platform";
import { rawTimestampField } from "@kurt/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLinkStats, type StatsStore } from "../domain/link-stats.js";
import { createStatsServiceHandlers, STATS_SERVICE_DEFINITION } from "./stats-service-handlers.js";

const NOW = new Date("2026-12-04T10:00:00.000Z");
const reads: [Date, Date][] = [];
const store: StatsStore = {
  async read(_domain, _code, start, end) {
    reads.push([start, end]);
    return { hours: [], top: { referrer: [], browser: [], os: [], device: [], country: [] }, uniqueVisitors: 0 };
  },
};
const logger = createLogger({ level: "error", base: {} }, () => {});
let server: RunningGrpcServer;
let client: Client;

/** A Timestamp field (from = 2, to = 3) as raw seconds and nanos. */
const timestamp = (field: 2 | 3, seconds: bigint, nanos = 0n): Buffer => rawTimestampField(field, seconds, nanos);

const request = (...times: Buffer[]) =>
  Buffer.concat([
    Buffer.from(GetLinkStatsRequest.encode(GetLinkStatsRequest.fromPartial({ code: "abc1234" })).finish()),
    ...times,
  ]);

function getLinkStats(bytes: Buffer): Promise<{ error: ServiceError | null; response: Buffer | undefined }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      "/kurt.v1.StatsService/GetLinkStats",
      (b: Buffer) => b,
      (b: Buffer) => b,
      bytes,
      new Metadata(),
      (error, response) => resolve({ error, response }),
    );
  });
}

test.before(async () => {
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [
      {
        name: "kurt.v1.StatsService",
        definition: STATS_SERVICE_DEFINITION,
        implementation: createStatsServiceHandlers({
          getLinkStats: createLinkStats({ store, defaultHost: "127.0.0.1:24080", now: () => NOW }),
          authorize: async () => {},
          logger,
        }),
      },
    ],
    logger,
    metrics: createMetrics({ service: "clicklog-test" }),
  });
  client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
});

test.after(() => {
  client.close();
  server.server.forceShutdown();
});

const DAY = 86_400n;
const BOUNDS = "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

test("from or to outside 1970 … 9999, or unreadable, is INVALID_ARGUMENT naming it, and no stats are read", async () => {
  const cases: [string, Buffer[], string][] = [
    ["from", [timestamp(2, -8_600_000_000_000n)], `from: ${BOUNDS}, got -270554-11-06T23:06:40.000Z`],
    [
      "from",
      [timestamp(2, -8_600_000_000_000n), timestamp(3, -8_600_000_000_000n + DAY)],
      `from: ${BOUNDS}, got -270554-`,
    ],
    ["from", [timestamp(2, 8_600_000_000_000n)], `from: ${BOUNDS}, got +274493-02-24T00:53:20.000Z`],
    ["from", [timestamp(2, -62_135_596_900n)], `from: ${BOUNDS}, got 0000-12-31T23:58:20.000Z`],
    ["from", [timestamp(2, -62_135_596_900n), timestamp(3, -62_135_596_900n + DAY)], `from: ${BOUNDS}, got 0000-`],
    ["from", [timestamp(2, -1n)], `from: ${BOUNDS}, got 1969-12-31T23:59:59.000Z`],
    ["to", [timestamp(3, 253_402_300_800n)], `to: ${BOUNDS}, got +010000-01-01T00:00:00.000Z`],
    ["from", [timestamp(2, 9_000_000_000_000n)], `from: ${BOUNDS}, got seconds=9000000000000`],
    ["to", [timestamp(3, 2n ** 62n)], `to: ${BOUNDS}, got seconds=4611686018427387904`],
    ["to", [timestamp(3, -(2n ** 63n))], `to: ${BOUNDS}, got seconds=-9223372036854775808`],
    ["from", [timestamp(2, 1_700_000_000n, -1n)], "from: nanos must be from 0 to 999,999,999, got -1"],
    ["to", [timestamp(3, 1_700_000_000n, 1_000_000_000n)], "to: nanos must be from 0 to 999,999,999, got 1000000000"],
  ];
  for (const [field, times, message] of cases) {
    const { error } = await getLinkStats(request(...times));
    assert.is(error?.code, status.INVALID_ARGUMENT, `${message}: ${error?.code} ${error?.details}`);
    assert.ok(error?.details.startsWith(message), `${error?.details} starts with ${message}`);
    assert.is(error?.metadata.get("x-kurt-error-field")[0], field);
  }
  assert.equal(reads, [], "the store was never asked");
  // The range rules that were there before still hold: from before to, at most 366 days by day.
  const reversed = await getLinkStats(request(timestamp(2, 1_700_000_000n + DAY), timestamp(3, 1_700_000_000n)));
  assert.is(reversed.error?.code, status.INVALID_ARGUMENT);
  assert.match(reversed.error?.details ?? "", /^from: must be before to/);
  const wide = await getLinkStats(request(timestamp(2, 1_700_000_000n - 400n * DAY), timestamp(3, 1_700_000_000n)));
  assert.match(wide.error?.details ?? "", /^from: the range may span at most 366 days/);
  assert.equal(reads, [], "the store was never asked");
});

test("the decoder hands an unreadable time on as an UnreadableTimestamp, and a readable one as before", async () => {
  const decoded = STATS_SERVICE_DEFINITION.getLinkStats.requestDeserialize(
    request(timestamp(2, 2n ** 62n), timestamp(3, 1_700_000_000n)),
  );
  assert.instance(decoded.from, UnreadableTimestamp);
  assert.is(decoded.to?.getTime(), 1_700_000_000_000);
  assert.is(decoded.code, "abc1234");
  // A range within the bounds, written by the generated encoder, is decoded and answered as before.
  const from = new Date("2026-12-01T00:00:00.000Z");
  const to = new Date("2026-12-03T00:00:00.000Z");
  const bytes = Buffer.from(
    GetLinkStatsRequest.encode({ code: "abc1234", from, to, interval: StatsInterval.DAY }).finish(),
  );
  assert.equal(STATS_SERVICE_DEFINITION.getLinkStats.requestDeserialize(bytes), GetLinkStatsRequest.decode(bytes));
  const { error, response } = await getLinkStats(bytes);
  assert.is(error, null, error?.details);
  const stats = Stats.decode(response as Buffer);
  assert.equal(
    stats.series.map((point) => point.start?.toISOString()),
    ["2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"],
  );
  assert.equal(reads, [[from, to]]);
});

test.run();
