import { status as grpcStatus } from "@grpc/grpc-js";
import { NO_CLICK_KEY } from "@kurt/contract";
import pg from "pg";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { call, resolverClient } from "../support/grpc-client.js";
import { describe } from "../support/http-client.js";
import { createLink, updateLink, visit } from "../support/links-api.js";
import { pauseReplayOnStandbys } from "../support/postgres-cluster.js";
import { serviceEnv, topology } from "../support/stack.js";

// The replica is held back (WAL replay paused) so that only the primary has
// the new rows: a link must still resolve the moment its create returned,
// on every resolver replica, and an update must reach every replica within
// a second (link events on Kafka drop what their caches hold).

const replicas = topology.services.resolver.grpcPorts.map((port) => ({
  port,
  client: resolverClient(`${topology.host}:${port}`),
}));

let key = "";

test.before(async () => {
  key = (await createApiKey(["links:write", "links:read"])).secret;
});

test.after(() => {
  for (const { client } of replicas) client.close();
});

/** Runs `use` with WAL replay paused on every standby; `replica` reads through the router's replica port, as the resolvers do. */
async function withReplayPaused(use: (replica: pg.Client) => Promise<void>): Promise<void> {
  const resume = await pauseReplayOnStandbys();
  const replica = new pg.Client({ connectionString: serviceEnv.KURT_PG_REPLICA_URL });
  try {
    await replica.connect();
    await use(replica);
  } finally {
    await replica.end().catch(() => {});
    await resume();
  }
}

/** Resolve on one resolver replica, directly; no click is counted. */
function resolveOn(replica: (typeof replicas)[number], code: string) {
  return call(replica.client.resolve.bind(replica.client), { code }, { metadata: { [NO_CLICK_KEY]: "1" } });
}

test("with the replica's replay paused, a link created this instant redirects at once on every resolver", async () => {
  await withReplayPaused(async (replica) => {
    const url = "https://example.com/ryw/created";
    const link = await createLink(key, { url });
    const onReplica = await replica.query("select 1 from links where code = $1", [link.code]);
    assert.is(onReplica.rowCount, 0, "the replica has not replayed the create");
    for (const replica of replicas) {
      const answer = await resolveOn(replica, link.code);
      assert.is(answer.url, url, `resolver on ${replica.port}`);
    }
    for (let i = 0; i < 6; i += 1) {
      const answer = await visit(link.code);
      assert.is(answer.status, 302, `through Envoy, attempt ${i}: ${describe(answer)}`);
      assert.is(answer.headers.get("location"), url);
    }
  });
});

test("with the replica's replay paused, an update is seen by every resolver within a second", async () => {
  await withReplayPaused(async () => {
    const link = await createLink(key, { url: "https://example.com/ryw/before" });
    // Each replica has the old target cached before the update.
    for (const replica of replicas) assert.is((await resolveOn(replica, link.code)).url, link.url);
    const updated = await updateLink(key, link.code, { url: "https://example.com/ryw/after" });
    assert.is(updated.status, 200, describe(updated));
    const changedAt = Date.now();
    await Promise.all(
      replicas.map(async (replica) => {
        for (;;) {
          const answer = await resolveOn(replica, link.code);
          if (answer.url === "https://example.com/ryw/after") return;
          const waited = Date.now() - changedAt;
          assert.ok(waited < 1_000, `resolver on ${replica.port} still answers ${answer.url} after ${waited} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
  });
});

test("with the replica's replay paused, a disabled link is gone on every resolver within a second", async () => {
  await withReplayPaused(async () => {
    const link = await createLink(key, { url: "https://example.com/ryw/disable" });
    for (const replica of replicas) assert.is((await resolveOn(replica, link.code)).url, link.url);
    assert.is((await updateLink(key, link.code, { disabled: true })).status, 200);
    const changedAt = Date.now();
    await Promise.all(
      replicas.map(async (replica) => {
        for (;;) {
          const outcome = await resolveOn(replica, link.code).then(
            () => "redirect",
            (error: { code: number }) => error.code,
          );
          if (outcome === grpcStatus.FAILED_PRECONDITION) return;
          const waited = Date.now() - changedAt;
          assert.ok(waited < 1_000, `resolver on ${replica.port} still answers ${outcome} after ${waited} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
  });
});

test("a code that was unknown a moment ago resolves as soon as it is created (the negative cache is cleared)", async () => {
  const code = `ryw-${Date.now().toString(36)}`;
  for (const replica of replicas) {
    const error = await resolveOn(replica, code).then(
      () => undefined,
      (e: { code: number }) => e.code,
    );
    assert.is(error, grpcStatus.NOT_FOUND, `unknown on ${replica.port}`);
  }
  await withReplayPaused(async () => {
    await createLink(key, { url: "https://example.com/ryw/negative", code });
    const createdAt = Date.now();
    await Promise.all(
      replicas.map(async (replica) => {
        for (;;) {
          const outcome = await resolveOn(replica, code).then(
            (a) => a.url,
            (e: { code: number }) => String(e.code),
          );
          if (outcome === "https://example.com/ryw/negative") return;
          const waited = Date.now() - createdAt;
          assert.ok(waited < 1_000, `resolver on ${replica.port} still answers ${outcome} after ${waited} ms`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
  });
});

test.run();
