/**
 * Logs through the gateway: the request id Envoy assigns reaches the
 * services' log lines over gRPC metadata; every line is one JSON object; no
 * API key or client address is ever written; `./kurt logs -f` follows them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, uniqueCode, visit } from "../support/links-api.js";
import {
  ALL_SERVICE_DAEMONS,
  jsonLinesSince,
  logFileOf,
  markLogs,
  rawLinesSince,
  replicasOf,
  setDebugLogging,
  waitForLine,
} from "../support/service-logs.js";
import { resolvePaths } from "../support/tool.js";

/** An address from TEST-NET-3 (RFC 5737): it can only be in a log if a client header was written there. */
const CLIENT_ADDRESS = "203.0.113.77";
/** Well-formed (kurt_ and 43 base64url characters) but unknown: refused, and must not be echoed. */
const UNKNOWN_KEY = `kurt_${"Zq9".repeat(14)}x`;

function envoyRequestId(answer: { headers: Headers }): string {
  const id = answer.headers.get("x-request-id");
  assert.ok(id, "Envoy answers with the request id it assigned (always_set_request_id_in_response)");
  return id as string;
}

test("a create's log line in the shortener carries the request id Envoy assigned, not one the client sent", async () => {
  const mark = markLogs(replicasOf("shortener"));
  const code = uniqueCode("log");
  const clientId = `client-chosen-${randomUUID()}`;
  const answer = await request("POST", "/v1/links", {
    key: adminKey(),
    body: { url: "https://example.com/logs", code },
    headers: { "x-request-id": clientId },
  });
  assert.ok(answer.status === 200 || answer.status === 201, describe(answer));
  const id = envoyRequestId(answer);
  assert.is.not(id, clientId, "the public edge replaces a client's x-request-id");
  const line = await waitForLine(mark, (l) => l.msg === "link created" && l.code === code, `"link created" ${code}`);
  assert.is(line.requestId, id);
  assert.is(line.service, "shortener");
  assert.not.ok(
    jsonLinesSince(mark).some((l) => l.requestId === clientId),
    "the client's own id reached a log line",
  );
});

test("a redirect's request id appears in the resolver's line for it (debug level, switched on by SIGUSR2)", async () => {
  const link = await createLink(adminKey(), { url: "https://example.com/logged-redirect", code: uniqueCode("log") });
  const resolvers = replicasOf("resolver");
  await setDebugLogging(resolvers, true);
  try {
    const mark = markLogs(resolvers);
    const answer = await visit(link.code);
    assert.is(answer.status, 302, describe(answer));
    const id = envoyRequestId(answer);
    const line = await waitForLine(mark, (l) => l.requestId === id, `with request id ${id} in a resolver`);
    assert.equal(
      { msg: line.msg, method: line.method, status: line.status, service: line.service },
      { msg: "redirect", method: "GET", status: 302, service: "resolver" },
    );
  } finally {
    await setDebugLogging(resolvers, false);
  }
  // Back at info, a redirect writes nothing: the hot path does not log.
  const quiet = markLogs(resolvers);
  const again = await visit(link.code);
  assert.is(again.status, 302);
  const id = envoyRequestId(again);
  await sleep(500);
  assert.not.ok(
    jsonLinesSince(quiet).some((l) => l.requestId === id),
    "a redirect logged a line at info level",
  );
});

test("no API key and no client address reach any log, even at debug, and every service line is JSON", async () => {
  const key = adminKey();
  await setDebugLogging(ALL_SERVICE_DAEMONS, true);
  const daemons = [...ALL_SERVICE_DAEMONS, "envoy"];
  const mark = markLogs(daemons);
  try {
    const forwarded = { "x-forwarded-for": CLIENT_ADDRESS, "x-real-ip": CLIENT_ADDRESS };
    const link = await createLink(key, { url: "https://example.com/no-secrets", code: uniqueCode("log") });
    const answers = [
      await request("GET", `/v1/links/${link.code}`, { key, headers: forwarded }),
      await request("GET", `/v1/links/${link.code}`, { key: UNKNOWN_KEY, headers: forwarded }),
      await request("GET", "/v1/links", { headers: { ...forwarded, authorization: `Bearer not-a-key-${key}` } }),
      await request("GET", `/v1/links/${link.code}/stats`, { key: UNKNOWN_KEY, headers: forwarded }),
      await request("GET", `/${link.code}?utm_source=logs`, { headers: forwarded }),
      await request("HEAD", `/${link.code}`, { headers: forwarded }),
    ];
    assert.equal(
      answers.map((a) => a.status),
      [200, 401, 401, 401, 302, 302],
      answers.map(describe).join("\n"),
    );
    // The refusals are logged (with their request ids): wait for them, so the grep below sees every line.
    const refusedIds = [answers[1], answers[3]].map((a) => envoyRequestId(a as { headers: Headers }));
    for (const id of refusedIds) {
      await waitForLine(mark, (l) => l.requestId === id && l.msg === "call refused", `"call refused" for ${id}`);
    }
    const redirectId = envoyRequestId(answers[4] as { headers: Headers });
    await waitForLine(mark, (l) => l.requestId === redirectId, `for the redirect ${redirectId}`);
  } finally {
    await setDebugLogging(ALL_SERVICE_DAEMONS, false);
  }
  const written = rawLinesSince(mark);
  assert.ok(written.length > 0);
  const secrets = [key, key.slice(5), UNKNOWN_KEY, UNKNOWN_KEY.slice(5), CLIENT_ADDRESS];
  for (const { daemon, line } of written) {
    for (const secret of secrets) {
      assert.not.ok(line.includes(secret), `${daemon} logged ${secret.slice(0, 9)}…: ${line.slice(0, 300)}`);
    }
    if (daemon === "envoy") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      assert.unreachable(`${daemon} wrote a line that is not JSON: ${line.slice(0, 300)}`);
    }
    const record = parsed as Record<string, unknown>;
    for (const field of ["time", "level", "service", "instance", "msg"]) {
      assert.ok(record[field] !== undefined, `${daemon}'s line has no ${field}: ${line.slice(0, 300)}`);
    }
  }
});

function kurt(args: readonly string[]): ChildProcess {
  // Its own process group, so that stopping it also stops the `tail -F` it runs.
  return spawn("./kurt", args, { cwd: resolvePaths().root, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

test("./kurt logs -f without a name follows every service's JSON lines, interleaved, as they are written", async () => {
  const follower = kurt(["logs", "-f"]);
  let output = "";
  follower.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  follower.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    // tail prints the last lines first; a line written after that shows that it follows.
    for (let i = 0; i < 200 && output === ""; i++) await sleep(100);
    const code = uniqueCode("follow");
    const answer = await request("POST", "/v1/links", {
      key: adminKey(),
      body: { url: "https://example.com/f", code },
    });
    const id = envoyRequestId(answer);
    for (let i = 0; i < 200 && !output.includes(id); i++) await sleep(100);
    const lines = output.split("\n").filter((line) => line !== "");
    const followed = lines.find((line) => line.includes(id));
    assert.ok(followed, `./kurt logs -f did not show the line of ${id}; it printed:\n${output.slice(-2000)}`);
    assert.is(JSON.parse(followed as string).msg, "link created");
    assert.not.ok(
      lines.some((line) => line.startsWith("==> ")),
      "file headers break the JSON stream",
    );
    const services = new Set(lines.flatMap((line) => (line.startsWith("{") ? [JSON.parse(line).service] : [])));
    assert.equal([...services].sort(), ["clicklog", "resolver", "shortener"]);
  } finally {
    if (follower.pid !== undefined) process.kill(-follower.pid, "SIGTERM");
  }
});

test("./kurt logs NAME shows the last lines of that component's replicas", async () => {
  const child = kurt(["logs", "resolver"]);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.is(code, 0);
  for (const daemon of replicasOf("resolver")) assert.ok(output.includes(`==> ${logFileOf(daemon)} <==`), output);
  const lastLine = readFileSync(logFileOf("resolver-1"), "utf8").trimEnd().split("\n").at(-1) as string;
  assert.ok(output.includes(lastLine));
});

test.run();
