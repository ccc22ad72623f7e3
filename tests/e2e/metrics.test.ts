import { readFileSync } from "node:fs";
import path from "node:path";
import { SERVICE_NAMES, type ServiceName } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { request } from "../support/http-client.js";
import { createLink, uniqueCode, visit } from "../support/links-api.js";
import { type MetricsPage, scrapeEnvoy, scrapeService, total } from "../support/metrics-scrape.js";
import { topology } from "../support/stack.js";
import { resolvePaths, waitFor } from "../support/tool.js";

// The metrics every operator reads (docs/metrics.md), scraped from each
// replica's metrics port and from Envoy's admin, and seen to move when
// traffic flows through the gateway.

const CREATE = "/kurt.v1.LinkService/CreateLink";
const POOLS: Record<ServiceName, readonly string[]> = {
  shortener: ["primary"],
  resolver: ["primary", "replica"],
  clicklog: ["primary"],
};
const USES_REDIS: Record<ServiceName, boolean> = { shortener: true, resolver: true, clicklog: false };

let writeKey = "";

test.before(async () => {
  writeKey = (await createApiKey(["links:write", "links:read"])).secret;
});

function names(page: MetricsPage): Set<string> {
  return new Set(page.samples.map((sample) => sample.name));
}

test("every replica serves Prometheus text labelled with its service and instance: gRPC calls, pools, Node", async () => {
  for (const service of SERVICE_NAMES) {
    const pages = await scrapeService(service);
    assert.is(pages.length, topology.services[service].metricsPorts.length);
    pages.forEach((page, i) => {
      const where = `${service}-${i + 1}`;
      assert.match(page.contentType, /^text\/plain; version=0\.0\.4/, where);
      for (const sample of page.samples) {
        assert.is(sample.labels.service, service, `${where}: ${sample.name}`);
        assert.is(sample.labels.instance, String(i + 1), `${where}: ${sample.name}`);
      }
      const present = names(page);
      for (const family of [
        "grpc_server_handled_total",
        "grpc_server_handling_seconds_bucket",
        "grpc_server_handling_seconds_count",
        "process_cpu_user_seconds_total",
        "nodejs_eventloop_lag_p99_seconds",
        "pg_pool_connections",
        "pg_pool_waiting_clients",
        "pg_pool_max_connections",
      ])
        assert.ok(present.has(family), `${where} has ${family}`);
      // Envoy health-checks every replica with grpc.health.v1, so that method has answered OK.
      assert.ok(total([page], "grpc_server_handled_total", { method: "/grpc.health.v1.Health/Check", code: "OK" }) > 0);
      const pools = new Set(page.samples.filter((s) => s.name === "pg_pool_max_connections").map((s) => s.labels.pool));
      assert.equal([...pools].sort(), [...POOLS[service]], `${where} pools`);
      for (const pool of POOLS[service]) {
        assert.ok(total([page], "pg_pool_max_connections", { pool }) >= 1, `${where} ${pool} max`);
        for (const state of ["busy", "idle"])
          assert.ok(total([page], "pg_pool_connections", { pool, state }) >= 0, `${where} ${pool} ${state}`);
      }
      if (USES_REDIS[service]) {
        assert.is(total([page], "redis_client_ready"), 1, `${where}: its Redis Cluster client is ready`);
        assert.ok(total([page], "redis_client_node_connections", { role: "master", status: "ready" }) >= 1);
        assert.ok(present.has("redis_client_pending_commands"), `${where} has redis_client_pending_commands`);
      } else assert.not.ok(present.has("redis_client_ready"), `${where} uses no Redis`);
    });
  }
});

test("Kafka producers expose queue depth and drops by reason; clicklog its consumer lag per partition", async () => {
  for (const page of await scrapeService("resolver")) {
    assert.ok(names(page).has("resolver_click_queue_depth"));
    for (const reason of ["queue_full", "requeue_full", "shutdown"])
      assert.is(
        page.samples.filter((s) => s.name === "resolver_click_events_dropped_total" && s.labels.reason === reason)
          .length,
        1,
      );
  }
  for (const page of await scrapeService("shortener")) {
    assert.ok(names(page).has("kurt_shortener_link_events_queue_depth"));
    for (const reason of ["disconnected", "backlog", "error"])
      assert.is(
        page.samples.filter((s) => s.name === "kurt_shortener_link_events_failed_total" && s.labels.reason === reason)
          .length,
        1,
      );
  }
  // The lag is measured every few seconds once the group has met Kafka: wait for the first reading.
  const lags = await waitFor(
    "each clicklog to report its consumer lag",
    async () => {
      const pages = await scrapeService("clicklog");
      const perPage = pages.map((page) => page.samples.filter((s) => s.name === "clicklog_consumer_lag"));
      return perPage.every((samples) => samples.length > 0) ? perPage : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
  for (const samples of lags) {
    const partitions = samples.map((s) => Number(s.labels.partition)).sort((a, b) => a - b);
    assert.equal(
      partitions,
      Array.from({ length: partitions.length }, (_, i) => i),
      "partitions 0..n-1",
    );
    for (const sample of samples) assert.ok(Number.isInteger(sample.value) && sample.value >= 0, `lag ${sample.value}`);
  }
});

test("redirects through Envoy move Envoy's stats, the resolvers' gRPC and lookup counters and the click pipeline", async () => {
  const shortenersBefore = await scrapeService("shortener");
  const location = "https://example.com/metrics/redirect";
  const link = await createLink(writeKey, { url: location, code: uniqueCode("metrics") });
  const refused = await request("POST", "/v1/links", { key: "kurt_not-a-key", body: { url: location } });
  assert.is(refused.status, 401);

  const resolversBefore = await scrapeService("resolver");
  const envoyBefore = await scrapeEnvoy();
  const clicklogsBefore = await scrapeService("clicklog");
  const redirects = 12;
  for (let i = 0; i < redirects; i++) {
    const answer = await visit(link.code);
    assert.is(answer.status, 302);
    assert.is(answer.headers.get("location"), location);
  }
  assert.is((await visit(uniqueCode("metrics-unknown"))).status, 404);
  const resolversAfter = await scrapeService("resolver");
  const envoyAfter = await scrapeEnvoy();
  const grew = (before: readonly MetricsPage[], after: readonly MetricsPage[], name: string, where = {}) =>
    total(after, name, where) - total(before, name, where);

  // The resolvers: every redirect is one answer of their HTTP listener, looked up in memory first.
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_http_answers_total", { status: "302" }) >= redirects);
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_http_answers_total", { status: "404" }) >= 1);
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_lookups_total", { layer: "memory" }) >= redirects + 1);
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_lookups_total", { layer: "memory", result: "miss" }) >= 1);
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_lookups_total", { layer: "memory", result: "hit" }) >= 1);
  // A new link is not in any resolver's memory: its first lookup is answered by a layer below.
  const belowMemory = ["redis", "replica", "primary"].reduce(
    (n, layer) => n + grew(resolversBefore, resolversAfter, "resolver_lookups_total", { layer, result: "hit" }),
    0,
  );
  assert.ok(belowMemory >= 1, `hits below memory: ${belowMemory}`);
  assert.ok(grew(resolversBefore, resolversAfter, "resolver_click_events_enqueued_total") >= redirects);

  // Envoy: the public listener answered the redirects as 3xx, from the resolvers' HTTP listeners.
  const envoy = (page: MetricsPage, name: string, where: Record<string, string>) => total([page], name, where);
  const redirected = { envoy_http_conn_manager_prefix: "public_http", envoy_response_code_class: "3" };
  assert.ok(
    envoy(envoyAfter, "envoy_http_downstream_rq_xx", redirected) -
      envoy(envoyBefore, "envoy_http_downstream_rq_xx", redirected) >=
      redirects,
  );
  const fromResolvers = { envoy_cluster_name: "resolver_http" };
  assert.ok(
    envoy(envoyAfter, "envoy_cluster_upstream_rq_total", fromResolvers) -
      envoy(envoyBefore, "envoy_cluster_upstream_rq_total", fromResolvers) >=
      redirects + 1,
  );

  // The shortener counted the create and the refusal by status, and published the link event.
  const shortenersAfter = await scrapeService("shortener");
  assert.ok(grew(shortenersBefore, shortenersAfter, "grpc_server_handled_total", { method: CREATE, code: "OK" }) >= 1);
  assert.ok(
    grew(shortenersBefore, shortenersAfter, "grpc_server_handled_total", { method: CREATE, code: "UNAUTHENTICATED" }) >=
      1,
  );
  assert.ok(
    total(shortenersAfter, "pg_pool_connections", { pool: "primary" }) >= 1,
    "the create used a pooled connection",
  );
  await waitFor(
    "the link event to be acknowledged by Kafka",
    async () => {
      const pages = await scrapeService("shortener");
      return grew(shortenersBefore, pages, "kurt_shortener_link_events_published_total") >= 1 ? true : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 300 },
  );

  // The clicks reach Kafka and clicklog reads them.
  await waitFor(
    "the clicks to be sent and consumed",
    async () => {
      const [resolvers, clicklogs] = await Promise.all([scrapeService("resolver"), scrapeService("clicklog")]);
      const sent = grew(resolversBefore, resolvers, "resolver_click_events_sent_total");
      const consumed = grew(clicklogsBefore, clicklogs, "clicklog_events_consumed_total");
      return sent >= redirects && consumed >= redirects ? true : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

test("Envoy's admin serves its own stats in the Prometheus format", async () => {
  const page = await scrapeEnvoy();
  assert.match(page.contentType, /^text\/plain/);
  const present = names(page);
  for (const family of ["envoy_cluster_upstream_rq_total", "envoy_http_downstream_rq_total", "envoy_server_uptime"])
    assert.ok(present.has(family), `Envoy has ${family}`);
  for (const cluster of SERVICE_NAMES)
    assert.is(
      total([page], "envoy_cluster_membership_healthy", { envoy_cluster_name: cluster }),
      topology.services[cluster].grpcPorts.length,
      `${cluster} replicas healthy in Envoy`,
    );
  assert.is(
    total([page], "envoy_cluster_membership_healthy", { envoy_cluster_name: "resolver_http" }),
    topology.services.resolver.httpPorts.length,
    "every resolver's redirect listener healthy in Envoy",
  );
});

test("docs/metrics.md names every metric family a service exposes (beyond prom-client's defaults)", async () => {
  const docs = readFileSync(path.join(resolvePaths().root, "docs", "metrics.md"), "utf8");
  const families = new Set<string>();
  for (const service of SERVICE_NAMES)
    for (const page of await scrapeService(service))
      for (const sample of page.samples) families.add(sample.name.replace(/_(bucket|sum|count)$/, ""));
  const undocumented = [...families]
    .filter((name) => !/^(process|nodejs)_/.test(name))
    .filter((name) => !docs.includes(`\`${name}\``))
    .sort();
  assert.equal(undocumented, [], "every family has a row in docs/metrics.md");
});

test.run();
