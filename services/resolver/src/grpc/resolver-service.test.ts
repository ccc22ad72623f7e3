import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { LookupLayer, ResolveResponse, ResolverServiceClient, ResolverServiceService } from "@kurt/contract";
import { createLogger, createMetrics, gone, type RunningGrpcServer, startGrpcServer } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ClickFacts } from "../domain/click.js";
import { createDomainDirectory } from "../domain/domain-directory.js";
import type { Redirect } from "../domain/link-resolver.js";
import { createTableResolver } from "../test-support/table-resolver.js";
import { MAX_REFERRER_CHARS, MAX_USER_AGENT_CHARS } from "../visitor/click-facts.js";
import { createResolverService } from "./resolver-service.js";

/** A resolver port answering from a table: the handler's translation is under test, not the lookup. */
const answers: Record<string, Redirect | Error> = {
  perm: {
    url: "https://example.com/p?q=1",
    redirectStatus: 301,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "replica",
  },
  unicode: {
    url: "https://example.com/ä",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: null,
    rules: [],
    servedBy: "memory",
  },
  off: gone("link is disabled"),
  locked: {
    url: "https://example.com/secret",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: null,
    passwordHash: "scrypt$15$8$1$x$y",
    rules: [],
    servedBy: "memory",
  },
  capped: {
    url: "https://example.com/capped",
    redirectStatus: 302,
    cacheSeconds: 0,
    forwardQuery: false,
    maxVisits: 1,
    passwordHash: null,
    rules: [{ country: "DE", url: "https://example.de/" }],
    servedBy: "memory",
  },
};
let capLeft = 1;
const resolver = createTableResolver(answers);

const recorded: ClickFacts[] = [];
const clicks = { record: (facts: ClickFacts) => void recorded.push(facts) };

const logger = createLogger({ level: "error", base: {} });
let server: RunningGrpcServer;
let client: InstanceType<typeof ResolverServiceClient>;

interface Call {
  error: ServiceError | null;
  response: ResolveResponse | undefined;
  headers: Metadata | undefined;
}

/**
 * grpc-js sends its own user-agent, after the one a client names: Envoy, by
 * contrast, passes the browser's header through unchanged.
 */
function resolve(code: string, sent: Record<string, string> = {}, userAgent?: string): Promise<Call> {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(sent)) metadata.set(name, value);
  const via =
    userAgent === undefined
      ? client
      : new ResolverServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure(), {
          "grpc.primary_user_agent": userAgent,
        });
  return new Promise<Call>((done) => {
    let headers: Metadata | undefined;
    const call = via.resolve({ code }, metadata, (error, response) => {
      if (via !== client) via.close();
      done({ error, response, headers });
    });
    call.on("metadata", (received) => {
      headers = received;
    });
  });
}

test.before(async () => {
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [
      {
        name: "kurt.v1.ResolverService",
        definition: ResolverServiceService,
        implementation: createResolverService({
          resolver,
          domains: createDomainDirectory(),
          clicks,
          visits: {
            take: async () => (capLeft > 0 ? capLeft-- > 0 : false),
            hasLeft: async () => capLeft > 0,
          },
          ruleTarget: (redirect, visit) => (visit.header("x-test-rule") === "1" ? redirect.rules[0]?.url : undefined),
          logger,
        }),
      },
    ],
    logger,
    metrics: createMetrics({ service: "resolver-test" }),
  });
  client = new ResolverServiceClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
});

test.after(() => {
  client.close();
  server.server.forceShutdown();
});

test("a redirect is answered in the message and as location and status metadata", async () => {
  const { error, response, headers } = await resolve("perm");
  assert.is(error, null);
  assert.equal(
    response,
    ResolveResponse.fromPartial({
      url: "https://example.com/p?q=1",
      redirectStatus: 301,
      servedBy: LookupLayer.LOOKUP_LAYER_REPLICA,
    }),
  );
  assert.equal(headers?.get("location"), ["https://example.com/p?q=1"]);
  assert.equal(headers?.get("x-kurt-redirect-status"), ["301"]);
});

test("a non-ASCII target still redirects, percent-encoded in the metadata", async () => {
  const { error, response, headers } = await resolve("unicode");
  assert.is(error, null);
  assert.is(response?.url, "https://example.com/ä");
  assert.equal(headers?.get("location"), ["https://example.com/%C3%A4"]);
});

test("an unknown code is NOT_FOUND and a gone link FAILED_PRECONDITION with its reason", async () => {
  const unknown = await resolve("nope");
  assert.is(unknown.error?.code, status.NOT_FOUND);
  const off = await resolve("off");
  assert.is(off.error?.code, status.FAILED_PRECONDITION);
  assert.match(off.error?.details ?? "", /disabled/);
  assert.is(off.headers?.get("location").length ?? 0, 0, "no redirect metadata on an error");
});

test("a redirect records one click with what the gateway passed on", async () => {
  recorded.length = 0;
  await resolve(
    "perm",
    {
      referer: "https://news.example/item",
      "x-envoy-external-address": "203.0.113.7",
      "x-forwarded-for": "10.0.0.1,192.0.2.2",
      "x-request-id": "req-42",
    },
    "Mozilla/5.0 Test",
  );
  assert.match(recorded[0]?.userAgent ?? "", /^Mozilla\/5\.0 Test/);
  assert.equal(recorded, [
    {
      domain: "",
      code: "perm",
      referrer: "https://news.example/item",
      userAgent: recorded[0]?.userAgent,
      clientAddress: "203.0.113.7",
      redirectStatus: 301,
      servedBy: "replica",
      requestId: "req-42",
      prefetch: false,
    },
  ]);
});

test("a HEAD turned into a GET by the gateway answers the redirect but records no click", async () => {
  recorded.length = 0;
  const { error, headers } = await resolve("perm", { "x-kurt-no-click": "1" });
  assert.is(error, null);
  assert.equal(headers?.get("location"), ["https://example.com/p?q=1"]);
  assert.is(recorded.length, 0);
});

test("unknown codes and gone links record no click", async () => {
  recorded.length = 0;
  await resolve("nope");
  await resolve("off");
  assert.is(recorded.length, 0);
});

test("oversized user agents and referrers are cut to a bounded length", async () => {
  recorded.length = 0;
  await resolve("perm", { referer: `https://r.example/${"r".repeat(10_000)}` }, "u".repeat(10_000));
  assert.is(recorded[0]?.userAgent.length, MAX_USER_AGENT_CHARS);
  assert.is(recorded[0]?.referrer.length, MAX_REFERRER_CHARS);
});

test("a password-protected link is refused with PERMISSION_DENIED and counts nothing", async () => {
  recorded.length = 0;
  const call = await resolve("locked");
  assert.is(call.error?.code, status.PERMISSION_DENIED);
  assert.match(call.error?.details ?? "", /password/);
  assert.equal(recorded, []);
});

test("a capped link takes its visit on a counted call, a no-click call only checks; rules pick the target", async () => {
  recorded.length = 0;
  capLeft = 1;
  const peek = await resolve("capped", { "x-kurt-no-click": "1", "x-test-rule": "1" });
  assert.is(peek.response?.url, "https://example.de/");
  assert.is(capLeft, 1);
  assert.is((await resolve("capped", { "sec-purpose": "prefetch" })).response?.url, "https://example.com/capped");
  assert.is(capLeft, 1);
  assert.is((await resolve("capped")).response?.url, "https://example.com/capped");
  assert.is(capLeft, 0);
  assert.is((await resolve("capped")).error?.code, status.FAILED_PRECONDITION);
  assert.is(recorded.length, 2);
});

test.run();
