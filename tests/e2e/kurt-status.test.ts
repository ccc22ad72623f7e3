import { setTimeout as sleep } from "node:timers/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { createLink, uniqueCode, visit } from "../support/links-api.js";
import { type RunResult, resolvePaths, runCommand } from "../support/tool.js";

// `./kurt status` run the way a person runs it, against the running stack
// while redirects flow: below the component table, the key metrics with
// real numbers.

/**
 * About 20 redirects a second until stopped: steady traffic for the sample,
 * light enough not to starve a small shared machine (a tight loop would).
 */
function pacedRedirects(code: string, location: string, everyMs = 50) {
  let running = true;
  let ok = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      const answer = await visit(code).catch((error: Error) => ({
        status: 0,
        headers: new Headers(),
        text: error.message,
      }));
      if (answer.status === 302 && answer.headers.get("location") === location) ok += 1;
      else failures.push(`${answer.status} ${answer.text.slice(0, 100)}`);
      await sleep(Math.max(0, everyMs - (Date.now() - started)));
    }
  })();
  return {
    ok: () => ok,
    failures,
    async stop() {
      running = false;
      await loop;
    },
  };
}

function kurtStatus(): Promise<RunResult> {
  return runCommand("./kurt", ["status"], { cwd: resolvePaths().root });
}

test("./kurt status ends with the key metrics, in numbers, while redirects flow", async () => {
  const key = (await createApiKey(["links:write"])).secret;
  const location = "https://example.com/status/summary";
  const link = await createLink(key, { url: location, code: uniqueCode("status") });
  const load = pacedRedirects(link.code, location);
  let result: Awaited<ReturnType<typeof kurtStatus>>;
  try {
    result = await kurtStatus();
  } finally {
    await load.stop();
  }
  assert.equal(load.failures, [], "the redirects under way all succeeded");
  assert.ok(load.ok() > 0);
  // Not asserted: the exit code, which also depends on health probes that an overloaded machine can time out.

  const [table, summary] = result.stdout.split(/\n\s*\nKEY METRICS/);
  assert.match(table as string, /^COMPONENT\s+STATE\s+PORT\s+PID\s+DETAIL/);
  assert.ok(summary !== undefined, `a KEY METRICS section follows the table:\n${result.stdout}`);
  const line = (key: string) => {
    const found = (summary as string).split("\n").find((l) => l.trimStart().startsWith(`${key} `));
    if (found === undefined) throw new Error(`no "${key}" line in:\n${summary}`);
    return found;
  };
  const redirects =
    /redirects\/s\s+([\d.]+) \(Envoy: 3xx answers of the public listener\); resolvers: ([\d.]+) redirects\/s over HTTP, [\d.]+ Resolve OK\/s over gRPC/.exec(
      line("redirects/s"),
    );
  assert.ok(redirects, line("redirects/s"));
  assert.ok(Number(redirects?.[1]) > 0, `redirects per second through Envoy: ${redirects?.[1]}`);
  assert.ok(Number(redirects?.[2]) > 0, `redirects per second answered by the resolvers: ${redirects?.[2]}`);
  assert.match(
    line("cache hits"),
    /memory \d+\.\d%, redis (\d+\.\d%|-) hits over the last [\d.]+ s \([\d,]+ lookups\); since start memory \d+\.\d%/,
  );
  assert.match(line("consumer lag"), /consumer lag\s+[\d,]+ click events not yet stored/);
  assert.match(line("replica lag"), /replica lag\s+[\d,]+ bytes of WAL not yet replayed; replay_lag (\d+\.\d ms|idle)/);
  assert.match(line("click queue"), /click queue\s+[\d,]+ click events waiting for Kafka, [\d,]+ dropped since start$/);
  assert.match(line("link events"), /link events\s+[\d,]+ link events waiting for Kafka, [\d,]+ not published/);
  assert.match(line("pools"), /pools\s+Postgres \d+ busy \+ \d+ idle of \d+, \d+ waiting; Redis 4 of 4 clients ready/);
});

test.run();
