/**
 * StatsService in process, over a real gRPC connection, with a store in
 * memory: the domain a request names (or leaves unset) is the one whose
 * rollups are read, and the answer names it as the contract does.
 */
import { status } from "@grpc/grpc-js";
import type { StatsServiceClient } from "@kurt/contract";
import { createLogger, createMetrics, type RunningGrpcServer, startGrpcServer } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLinkStats, type StatsStore } from "../domain/link-stats.js";
import { callError, getLinkStats, statsClient } from "../test-support/stats-client.js";
import { createStatsServiceHandlers, STATS_SERVICE_DEFINITION } from "./stats-service-handlers.js";

const HOST = "127.0.0.1:24080";
const reads: string[][] = [];
const store: StatsStore = {
  async read(domain, code) {
    reads.push([domain, code]);
    return {
      hours: [],
      top: {
        referrer: [],
        browser: [],
        os: [],
        device: [],
        country: [
          { value: "DE", clicks: 2 },
          { value: "unknown", clicks: 1 },
        ],
      },
      uniqueVisitors: 0,
    };
  },
};
const logger = createLogger({ level: "error", base: {} }, () => {});
let server: RunningGrpcServer;
let client: StatsServiceClient;

test.before(async () => {
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [
      {
        name: "kurt.v1.StatsService",
        definition: STATS_SERVICE_DEFINITION,
        implementation: createStatsServiceHandlers({
          getLinkStats: createLinkStats({ store, defaultHost: HOST }),
          authorize: async () => {},
          logger,
        }),
      },
    ],
    logger,
    metrics: createMetrics({ service: "clicklog-test" }),
  });
  client = statsClient(`127.0.0.1:${server.port}`);
});

test.before.each(() => {
  reads.length = 0;
});

test.after(() => {
  client.close();
  server.server.forceShutdown();
});

test("without a domain the default domain's rollups are read, and the answer names it by the public host", async () => {
  const stats = await getLinkStats(client, { code: "abc1234" });
  assert.equal(reads, [["", "abc1234"]]);
  assert.equal([stats.code, stats.domain], ["abc1234", HOST]);
});

test("another domain's rollups are read by its stored name, and the answer names that domain", async () => {
  const stats = await getLinkStats(client, { code: "abc1234", domain: "Go.Example.com" });
  assert.equal(reads, [["go.example.com", "abc1234"]]);
  assert.is(stats.domain, "go.example.com");
});

test("the answer carries the countries breakdown as Stats.countries", async () => {
  const stats = await getLinkStats(client, { code: "abc1234" });
  assert.equal(stats.countries, [
    { value: "DE", clicks: 2 },
    { value: "unknown", clicks: 1 },
  ]);
});

test("a malformed domain is INVALID_ARGUMENT naming domain, and nothing is read", async () => {
  for (const domain of ["go.example.com/abc", "go example.com", "x".repeat(254)]) {
    const error = await callError(getLinkStats(client, { code: "abc1234", domain }));
    assert.is(error.code, status.INVALID_ARGUMENT, domain);
    assert.is(error.metadata.get("x-kurt-error-field")[0], "domain");
  }
  assert.equal(reads, []);
});

test.run();
