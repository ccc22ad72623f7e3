import { credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { LookupLayer, ResolveResponse, ResolverServiceClient, ResolverServiceService } from "@kurt/contract";
import { createLogger, createMetrics, gone, notFound, type RunningGrpcServer, startGrpcServer } from "@kurt/platform";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LinkResolver, Redirect } from "../domain/link-resolver.js";
import { createResolverService } from "./resolver-service.js";

/** A resolver port answering from a table: the handler's translation is under test, not the lookup. */
const answers: Record<string, Redirect | Error> = {
  perm: { url: "https://example.com/p?q=1", redirectStatus: 301, servedBy: "replica" },
  unicode: { url: "https://example.com/ä", redirectStatus: 302, servedBy: "memory" },
  off: gone("link is disabled"),
};
const resolver: LinkResolver = {
  async resolve(code) {
    const answer = answers[code];
    if (answer === undefined) throw notFound("link");
    if (answer instanceof Error) throw answer;
    return answer;
  },
  invalidate() {},
};

const logger = createLogger({ level: "error", base: {} });
let server: RunningGrpcServer;
let client: InstanceType<typeof ResolverServiceClient>;

interface Call {
  error: ServiceError | null;
  response: ResolveResponse | undefined;
  headers: Metadata | undefined;
}

function resolve(code: string): Promise<Call> {
  return new Promise((done) => {
    let headers: Metadata | undefined;
    const call = client.resolve({ code }, new Metadata(), (error, response) => done({ error, response, headers }));
    call.on("metadata", (metadata) => {
      headers = metadata;
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
        implementation: createResolverService({ resolver, logger }),
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

test.run();
