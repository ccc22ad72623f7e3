import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadTopology, type Topology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolvePaths } from "../paths.js";
import { createSupervisor } from "../supervisor.js";
import { collectMetricsSummary, formatSummary, type Scrape, type SummaryInput, summarize } from "./metrics-summary.js";
import { parsePrometheusText } from "./prometheus-text.js";

const page = (target: string, text: string): Scrape => ({ target, samples: parsePrometheusText(text) });
const down = (target: string): Scrape => ({ target, error: `${target} not answering (ECONNREFUSED)` });

function resolverPage(target: string, resolved: number, lookups: Record<string, number>, queue = 0, dropped = 0) {
  const lines = [
    `resolver_http_answers_total{status="302"} ${resolved * 2}`,
    `resolver_http_answers_total{status="301"} ${resolved}`,
    `resolver_http_answers_total{status="404"} 9`,
    `grpc_server_handled_total{method="/kurt.v1.ResolverService/Resolve",code="OK"} ${resolved}`,
    `grpc_server_handled_total{method="/kurt.v1.ResolverService/Resolve",code="NOT_FOUND"} 7`,
    ...Object.entries(lookups).map(([key, n]) => {
      const [layer, result] = key.split(":");
      return `resolver_lookups_total{layer="${layer}",result="${result}"} ${n}`;
    }),
    `resolver_click_queue_depth ${queue}`,
    `resolver_click_events_dropped_total{reason="queue_full"} ${dropped}`,
    `pg_pool_connections{pool="replica",state="busy"} 1`,
    `pg_pool_connections{pool="replica",state="idle"} 2`,
    `pg_pool_max_connections{pool="replica"} 10`,
    `pg_pool_waiting_clients{pool="replica"} 0`,
    "redis_client_ready 1",
    "redis_client_pending_commands 3",
  ];
  return page(target, lines.join("\n"));
}

const envoyPage = (redirects: number) =>
  page(
    "envoy",
    `envoy_http_downstream_rq_xx{envoy_response_code_class="3",envoy_http_conn_manager_prefix="public_http"} ${redirects}`,
  );

test("rates come from the growth between the two rounds; ratios per layer, over the sample and since start", () => {
  const input: SummaryInput = {
    seconds: 2,
    envoy: [envoyPage(1_000), envoyPage(1_100)],
    resolvers: [
      [
        resolverPage("resolver-1", 500, { "memory:hit": 400, "memory:miss": 100, "redis:hit": 90, "redis:miss": 10 }),
        resolverPage("resolver-1", 540, { "memory:hit": 436, "memory:miss": 104, "redis:hit": 94, "redis:miss": 10 }),
      ],
      [
        resolverPage("resolver-2", 300, { "memory:hit": 200, "memory:negative": 50, "memory:miss": 50 }),
        resolverPage(
          "resolver-2",
          360,
          { "memory:hit": 250, "memory:negative": 60, "memory:miss": 50, "redis:error": 0 },
          4,
          2,
        ),
      ],
    ],
    shorteners: [page("shortener-1", "kurt_shortener_link_events_queue_depth 1\nredis_client_ready 0")],
    clicklogs: [
      page("clicklog-1", 'clicklog_consumer_lag{partition="0"} 3\nclicklog_consumer_lag{partition="1"} 4'),
      page("clicklog-2", 'clicklog_consumer_lag{partition="0"} 2\nclicklog_consumer_lag{partition="1"} 4'),
    ],
    replication: { state: { state: "streaming", bytesBehind: "1234", replayLagMs: 0.5 } },
  };
  const lines = Object.fromEntries(summarize(input).map((line) => [line.key, line.value]));
  assert.is(
    lines["redirects/s"],
    "50.0 (Envoy: 3xx answers of the public listener); resolvers: 150.0 redirects/s over HTTP, 50.0 Resolve OK/s over gRPC",
  );
  // Sample: memory 36+4 and 50+10+0 lookups, 36 + 60 of them hits; redis 4 hits of 4.
  assert.is(
    lines["cache hits"],
    "memory 96.0%, redis 100.0% hits over the last 2.0 s (100 lookups); since start memory 82.9%, redis 90.4% (900 lookups)",
  );
  assert.is(lines["consumer lag"], "7 click events not yet stored (kurt.clicks.v1, all partitions)");
  assert.is(lines["replica lag"], "1,234 bytes of WAL not yet replayed; replay_lag 0.5 ms");
  assert.is(lines["click queue"], "4 click events waiting for Kafka, 2 dropped since start");
  assert.is(lines["link events"], "1 link events waiting for Kafka, 0 not published since start");
  assert.is(lines.pools, "Postgres 2 busy + 4 idle of 20, 0 waiting; Redis 2 of 3 clients ready, 6 commands pending");
});

test("a replica that is down or restarted is named or left out, not counted as zero traffic", () => {
  const input: SummaryInput = {
    seconds: 1,
    envoy: [envoyPage(50), envoyPage(10)],
    resolvers: [
      [
        resolverPage("resolver-1", 10, { "memory:hit": 10, "memory:miss": 0 }),
        resolverPage("resolver-1", 30, { "memory:hit": 30, "memory:miss": 0 }),
      ],
      [resolverPage("resolver-2", 100, { "memory:hit": 100 }), down("resolver-2")],
    ],
    shorteners: [],
    clicklogs: [page("clicklog-1", "process_cpu_seconds_total 1")],
    replication: { state: { state: "startup", bytesBehind: null, replayLagMs: null } },
  };
  const lines = Object.fromEntries(summarize(input).map((line) => [line.key, line.value]));
  assert.is(
    lines["redirects/s"],
    "n/a (Envoy restarted during the sample); resolvers: 60.0 redirects/s over HTTP, 20.0 Resolve OK/s over gRPC; only 1 of 2 resolvers answering",
  );
  assert.match(lines["cache hits"] as string, /; only 1 of 2 resolvers answering$/);
  assert.match(lines["consumer lag"] as string, /^n\/a \(not measured yet/);
  assert.is(lines["replica lag"], "n/a (the replica is not streaming (walsender state: startup))");
  assert.is(lines["link events"], "n/a (no shortener in the topology)");
});

function unusedPorts(count: number): Promise<number[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve, reject) => {
          const server = createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number };
            server.close(() => resolve(port));
          });
          server.once("error", reject);
        }),
    ),
  );
}

test("with nothing running, every line says n/a and why, and nothing throws", async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), "kurt-summary-"));
  try {
    const ports = await unusedPorts(4);
    const base = loadTopology({});
    const service = (name: "shortener" | "resolver" | "clicklog", port: number) => ({
      ...base.services[name],
      metricsPorts: [port],
    });
    const topology: Topology = {
      ...base,
      envoy: { ...base.envoy, adminPort: ports[0] as number },
      services: {
        shortener: service("shortener", ports[1] as number),
        resolver: service("resolver", ports[2] as number),
        clicklog: service("clicklog", ports[3] as number),
      },
    };
    const paths = resolvePaths({ KURT_STATE_DIR: stateDir });
    const input = await collectMetricsSummary(
      { topology, paths, supervisor: createSupervisor(paths.runDir, paths.logDir), say: () => {} },
      { wait: async () => {} },
    );
    const lines = summarize(input);
    assert.is(lines.length, 7);
    for (const line of lines) assert.match(line.value, /^n\/a \(.+\)/, `${line.key}: ${line.value}`);
    const text = formatSummary(lines, input.seconds);
    assert.match(text, /Envoy admin: envoy not answering \(ECONNREFUSED\)/);
    assert.match(text, /replica lag +n\/a \(no Postgres leader is running\)/);
    assert.match(text, /pools +n\/a \(shortener-1 not answering \(ECONNREFUSED\)\)/);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});

test.run();
