/**
 * Each service, started for real from the bundle that ships (`node services/<svc>/dist/main.mjs`)
 * with one missing or malformed variable, must stop at once with exactly one
 * line that names the variable, without echoing a secret, and before it opens
 * a connection to anything. Needs no running stack: every address the
 * services are given points at a listener of this test that counts
 * connections, and must count none.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureBundles, IMAGE_ENTRIES } from "../support/tool.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const topology = loadTopology();
const host = "127.0.0.1";
// Offsets the topology leaves unused, inside KURT_PORT_BASE's range.
const TRIPWIRE_PORT = topology.portBase + 999;
const GRPC_PORT = topology.portBase + 998;
const METRICS_PORT = topology.portBase + 997;
/** Far more than a start-up that stops at its configuration needs (a second or two; loading the modules is most of it), so a loaded machine does not flake. */
const EXIT_WITHIN_MS = 60_000;
const SECRET = "TOPSECRET-pw-7781";

type Service = "shortener" | "resolver" | "clicklog";

const tripwire = `${host}:${TRIPWIRE_PORT}`;
const pgUrl = `postgres://kurt:${SECRET}@${tripwire}/kurt`;
const VALID: Record<Service, Record<string, string>> = {
  shortener: {
    KURT_PG_PRIMARY_URL: pgUrl,
    KURT_REDIS_NODES: tripwire,
    KURT_REDIS_PASSWORD: SECRET,
    KURT_KAFKA_BROKERS: tripwire,
    KURT_PUBLIC_URL: `http://${tripwire}`,
  },
  resolver: {
    KURT_HTTP_PORT: String(topology.portBase + 996),
    KURT_PG_PRIMARY_URL: pgUrl,
    KURT_PG_REPLICA_URL: pgUrl,
    KURT_REDIS_NODES: tripwire,
    KURT_REDIS_PASSWORD: SECRET,
    KURT_KAFKA_BROKERS: tripwire,
  },
  clicklog: { KURT_PG_PRIMARY_URL: pgUrl, KURT_KAFKA_BROKERS: tripwire, KURT_PUBLIC_URL: `http://${tripwire}` },
};

interface Case {
  readonly service: Service;
  readonly what: string;
  readonly variable: string;
  /** undefined: the variable is left out. */
  readonly value: string | undefined;
  /** Text that must not appear in the output (a secret's value). */
  readonly hidden?: string;
}

const CASES: readonly Case[] = [
  { service: "shortener", what: "missing", variable: "KURT_GRPC_PORT", value: undefined },
  { service: "shortener", what: "not a number", variable: "KURT_GRPC_PORT", value: "abc" },
  { service: "shortener", what: "out of range", variable: "KURT_PG_POOL_SIZE", value: "1000" },
  { service: "shortener", what: "missing", variable: "KURT_PUBLIC_URL", value: undefined },
  { service: "shortener", what: "not a host", variable: "KURT_SHORT_DOMAINS", value: "exa mple.com" },
  { service: "shortener", what: "missing", variable: "KURT_REDIS_PASSWORD", value: undefined },
  {
    service: "shortener",
    what: "malformed secret",
    variable: "KURT_PG_PRIMARY_URL",
    value: `mysql://kurt:${SECRET}@db/kurt`,
    hidden: SECRET,
  },
  { service: "resolver", what: "missing", variable: "KURT_PG_REPLICA_URL", value: undefined },
  { service: "resolver", what: "missing", variable: "KURT_HTTP_PORT", value: undefined },
  { service: "resolver", what: "missing", variable: "KURT_REDIS_PASSWORD", value: undefined },
  { service: "resolver", what: "port out of range", variable: "KURT_METRICS_PORT", value: "70000" },
  { service: "resolver", what: "below its minimum", variable: "KURT_CLICK_BATCH_SIZE", value: "0" },
  { service: "resolver", what: "not host:port", variable: "KURT_KAFKA_BROKERS", value: "kafka-without-port" },
  {
    service: "resolver",
    what: "malformed secret",
    variable: "KURT_PG_REPLICA_URL",
    value: `${SECRET}@replica`,
    hidden: SECRET,
  },
  { service: "clicklog", what: "missing", variable: "KURT_KAFKA_BROKERS", value: undefined },
  { service: "clicklog", what: "not in the list", variable: "KURT_LOG_LEVEL", value: "verbose" },
  { service: "clicklog", what: "out of range", variable: "KURT_CLICK_RETENTION_DAYS", value: "0" },
  {
    service: "clicklog",
    what: "malformed secret",
    variable: "KURT_PG_PRIMARY_URL",
    value: `redis://:${SECRET}@cache`,
    hidden: SECRET,
  },
];

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly killed: boolean;
}

function start(testCase: Case): Promise<Outcome> {
  const env: Record<string, string> = {
    // Nothing from the caller's environment but PATH: a KURT_* set there must not hide or cause a failure.
    PATH: process.env.PATH ?? "",
    KURT_GRPC_PORT: String(GRPC_PORT),
    KURT_METRICS_PORT: String(METRICS_PORT),
    ...VALID[testCase.service],
  };
  if (testCase.value === undefined) delete env[testCase.variable];
  else env[testCase.variable] = testCase.value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, IMAGE_ENTRIES[testCase.service].bundle)], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, EXIT_WITHIN_MS);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, killed });
    });
  });
}

/** At most this many services start at once: fast enough, and gentle on a busy machine. */
const PARALLEL = 2;

function limited<T>(limit: number): (task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

let listener: Server;
let connections = 0;
const outcomes = new Map<Case, Promise<Outcome>>();

test.before(async () => {
  await ensureBundles(root, ["shortener", "resolver", "clicklog"]);
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(TRIPWIRE_PORT, host, () => resolve());
  });
  const slot = limited<Outcome>(PARALLEL);
  for (const testCase of CASES)
    outcomes.set(
      testCase,
      slot(() => start(testCase)),
    );
});

test.after(async () => {
  await Promise.allSettled(outcomes.values());
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});

for (const testCase of CASES) {
  const { service, variable, what } = testCase;
  test(`${service} with ${variable} ${what} exits non-zero with one line naming it, before connecting anywhere`, async () => {
    const outcome = await (outcomes.get(testCase) as Promise<Outcome>);
    assert.not.ok(outcome.killed, `${service} was still running after ${EXIT_WITHIN_MS} ms:\n${outcome.output}`);
    assert.ok(outcome.code !== null && outcome.code !== 0, `exit code ${outcome.code}, signal ${outcome.signal}`);
    const lines = outcome.output.split("\n").filter((line) => line.trim() !== "");
    assert.is(lines.length, 1, `expected exactly one line, got:\n${outcome.output}`);
    const line = lines[0] as string;
    assert.ok(line.includes(variable), `the line does not name ${variable}: ${line}`);
    assert.ok(line.startsWith(`${service}: configuration error:`), line);
    if (testCase.hidden !== undefined) {
      assert.not.ok(line.includes(testCase.hidden), `the line echoes the secret: ${line}`);
      assert.not.ok(line.includes(testCase.value as string), `the line echoes the value: ${line}`);
    }
  });
}

// Checked once every service has exited: a connection cannot be pinned on one case when several run at once.
test("no service connected to anything before it gave up", async () => {
  await Promise.all(outcomes.values());
  assert.is(connections, 0, `${connections} connection(s) reached ${tripwire}`);
});

test("the tripwire counts a connection (so that zero above means none was made)", async () => {
  const before = connections;
  const { connect } = await import("node:net");
  await new Promise<void>((resolve, reject) => {
    const socket = connect(TRIPWIRE_PORT, host, () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", reject);
  });
  for (let i = 0; i < 50 && connections === before; i++) await new Promise((r) => setTimeout(r, 10));
  assert.is(connections - before, 1);
});

test.run();
