/**
 * The shortener's gRPC services in process, over a real gRPC connection, with
 * in-memory stores: the order of the checks (key and scope, then the key's
 * write budget, then the input) and that every refusal writes nothing. The
 * requests are sent as raw bytes so that Timestamps can carry what any
 * client may put on the wire.
 */
import { Client, credentials, Metadata, type ServiceError, status } from "@grpc/grpc-js";
import {
  ApiKeyServiceService,
  BatchCreateLinksRequest,
  BatchCreateLinksResponse,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  CreateLinkRequest,
  DeleteLinkRequest,
  GetLinkQrCodeRequest,
  GetLinkRequest,
  HttpBody,
  RevokeApiKeyRequest,
  UpdateLinkRequest,
} from "@kurt/contract";
import { createLogger, createMetrics, type RunningGrpcServer, startGrpcServer } from "@kurt/platform";
import { rawTimestampField } from "@kurt/platform/testing";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createQrCodeRenderer } from "../adapters/qrcode-renderer.js";
import { createApiKeyService } from "../domain/api-key-service.js";
import { createLinkService } from "../domain/link-service.js";
import { createTargetUrlPolicy } from "../domain/target-url.js";
import { createWriteRateLimiter } from "../domain/write-rate-limiter.js";
import { createInMemoryApiKeyStore, createInMemoryLinkStore } from "../test-support/in-memory-stores.js";
import { staticLinkDomains } from "../test-support/static-link-domains.js";
import { createApiKeyServiceHandlers } from "./api-key-service-handlers.js";
import { createAuthorize } from "./authorize.js";
import { createLinkServiceHandlers, LINK_SERVICE_DEFINITION } from "./link-service-handlers.js";

const NOW = new Date("2026-12-04T10:00:00.000Z");
const BURST = 5;
const PER_SECOND = 2;

let clockMs = 0;
const linkStore = createInMemoryLinkStore(() => NOW);
const keyStore = createInMemoryApiKeyStore(() => NOW);
const apiKeys = createApiKeyService({ store: keyStore.store });
const writeLimit = createWriteRateLimiter({ burst: BURST, perSecond: PER_SECOND, now: () => clockMs });
const authorize = createAuthorize(apiKeys, writeLimit);
const logger = createLogger({ level: "error", base: {} }, () => {});
let codeNumber = 0;
const links = createLinkService({
  store: linkStore.store,
  cache: { write: async () => {} },
  events: { publish() {} },
  targetUrl: createTargetUrlPolicy({ publicUrl: "https://kurt.example" }),
  domains: staticLinkDomains("https://kurt.example"),
  generateCode: () => `gen${String(++codeNumber).padStart(4, "0")}`,
  hashPassword: async (password) => `hashed:${password}`,
  now: () => NOW,
});

let server: RunningGrpcServer;
let client: Client;
const secrets: Record<"admin" | "writer" | "reader", string> = { admin: "", writer: "", reader: "" };

interface Answer {
  readonly error: ServiceError | null;
  readonly response: Buffer | undefined;
}

function call(path: string, request: Uint8Array, secret?: string): Promise<Answer> {
  const metadata = new Metadata();
  if (secret !== undefined) metadata.set("authorization", `Bearer ${secret}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      Buffer.from(request),
      metadata,
      (error, response) => resolve({ error, response }),
    );
  });
}

const CREATE = "/kurt.v1.LinkService/CreateLink";
const UPDATE = "/kurt.v1.LinkService/UpdateLink";
const DELETE = "/kurt.v1.LinkService/DeleteLink";
const GET = "/kurt.v1.LinkService/GetLink";
const create = (fields: Partial<CreateLinkRequest> = {}) =>
  CreateLinkRequest.encode(CreateLinkRequest.fromPartial({ url: "https://example.com/", ...fields })).finish();
const update = (fields: Partial<UpdateLinkRequest>) =>
  UpdateLinkRequest.encode(UpdateLinkRequest.fromPartial({ code: "", ...fields })).finish();

/** expires_at (field 4 of both requests) as raw seconds and nanos. */
const rawExpiresAt = (seconds: bigint, nanos = 0n): Buffer => rawTimestampField(4, seconds, nanos);

const withRaw = (request: Uint8Array, seconds: bigint, nanos = 0n) =>
  Buffer.concat([Buffer.from(request), rawExpiresAt(seconds, nanos)]);

/** A fresh budget: time passes until every bucket has refilled. */
const refill = () => {
  clockMs += (BURST / PER_SECOND) * 1000;
};

const allWrites = () => [...linkStore.writes, ...keyStore.writes];

test.before(async () => {
  for (const [name, scopes] of [
    ["admin", ["admin"]],
    ["writer", ["links:write", "links:read"]],
    ["reader", ["links:read"]],
  ] as const)
    secrets[name] = (await apiKeys.createKey({ name, scopes: [...scopes] })).secret;
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [
      {
        name: "kurt.v1.LinkService",
        definition: LINK_SERVICE_DEFINITION,
        implementation: createLinkServiceHandlers({
          links,
          authorize,
          publicUrl: "https://kurt.example",
          qrRenderer: createQrCodeRenderer(),
          logger,
        }),
      },
      {
        name: "kurt.v1.ApiKeyService",
        definition: ApiKeyServiceService,
        implementation: createApiKeyServiceHandlers({ apiKeys, authorize, logger }),
      },
    ],
    logger,
    metrics: createMetrics({ service: "shortener-test" }),
  });
  client = new Client(`127.0.0.1:${server.port}`, credentials.createInsecure());
});

test.after(() => {
  client.close();
  server.server.forceShutdown();
});

test("CreateLink: an expiresAt out of bounds or unreadable is INVALID_ARGUMENT naming it, and nothing is written; 100 years ahead is stored", async () => {
  refill();
  const before = allWrites().length;
  const cases: [bigint, bigint, RegExp][] = [
    [
      300_000_000_000n,
      0n,
      /^expiresAt: must be at most 100 years ahead \(no later than 2126-12-04T10:00:00\.000Z\), got \+011476-/,
    ],
    [8_600_000_000_000n, 0n, /^expiresAt: must be at most 100 years ahead .*, got \+274493-/],
    [
      9_000_000_000_000n,
      0n,
      /^expiresAt: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, got seconds=9000000000000$/,
    ],
    [2n ** 62n, 0n, /^expiresAt: must be between .*, got seconds=4611686018427387904$/],
    [-(2n ** 63n), 0n, /^expiresAt: must be between .*, got seconds=-9223372036854775808$/],
    [-62_135_596_900n, 0n, /^expiresAt: must be in the future, got 0000-12-31T23:58:20\.000Z/],
    [1_900_000_000n, -1n, /^expiresAt: nanos must be from 0 to 999,999,999, got -1$/],
    [1_900_000_000n, 1_000_000_000n, /^expiresAt: nanos must be from 0 to 999,999,999, got 1000000000$/],
  ];
  for (const [seconds, nanos, reason] of cases) {
    refill();
    const { error } = await call(CREATE, withRaw(create(), seconds, nanos), secrets.writer);
    assert.is(error?.code, status.INVALID_ARGUMENT, `seconds=${seconds} nanos=${nanos}: ${error?.details}`);
    assert.match(error?.details ?? "", reason);
    assert.is(error?.metadata.get("x-kurt-error-field")[0], "expiresAt");
  }
  assert.is(allWrites().length, before, "no refused create wrote anything");
  refill();
  const last = new Date("2126-12-04T10:00:00.000Z");
  const { error } = await call(CREATE, create({ code: "in-bounds", expiresAt: last }), secrets.writer);
  assert.is(error, null, `the last instant allowed is stored as sent: ${error?.details}`);
  assert.is(linkStore.links.get("in-bounds")?.expiresAt?.getTime(), last.getTime());
});

test("UpdateLink: an expiresAt out of bounds or unreadable is INVALID_ARGUMENT naming it, and the link is unchanged", async () => {
  refill();
  assert.is((await call(CREATE, create({ code: "to-update" }), secrets.writer)).error, null);
  const before = allWrites().length;
  for (const [seconds, nanos, reason] of [
    [300_000_000_000n, 0n, /^expiresAt: must be at most 100 years ahead/],
    [2n ** 62n, 0n, /^expiresAt: must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z, got seconds=/],
    [1_900_000_000n, 2_000_000_000n, /^expiresAt: nanos must be from 0 to 999,999,999, got 2000000000$/],
    [1_000n, 0n, /^expiresAt: must be in the future, got 1970-01-01T00:16:40\.000Z/],
  ] as const) {
    const { error } = await call(
      UPDATE,
      withRaw(update({ code: "to-update", title: "new" }), seconds, nanos),
      secrets.writer,
    );
    assert.is(error?.code, status.INVALID_ARGUMENT, error?.details);
    assert.match(error?.details ?? "", reason);
  }
  assert.is(allWrites().length, before, "no refused update wrote anything");
  assert.is(linkStore.links.get("to-update")?.title, null);
});

test(`each key may write ${BURST} times at once; the next write is RESOURCE_EXHAUSTED saying when to retry`, async () => {
  refill();
  for (let i = 0; i < BURST; i++) assert.is((await call(CREATE, create(), secrets.writer)).error, null);
  const before = allWrites().length;
  const { error } = await call(CREATE, create({ code: "over-budget" }), secrets.writer);
  assert.is(error?.code, status.RESOURCE_EXHAUSTED);
  assert.is(
    error?.details,
    `write rate limit of ${PER_SECOND} per second (bursts of ${BURST}) for this API key exceeded; retry in 500 ms`,
  );
  assert.is(allWrites().length, before, "the refused write wrote nothing");
  assert.is((await call(CREATE, create(), secrets.admin)).error, null, "another key has its own budget");
  clockMs += 500;
  assert.is((await call(CREATE, create({ code: "after-wait" }), secrets.writer)).error, null, "a token is back");
});

test("every write call uses the budget: create, update, delete, API key create and revoke", async () => {
  refill();
  const spend = async (path: string, request: Uint8Array) => {
    const answer = await call(path, request, secrets.admin);
    assert.is(answer.error, null, `${path}: ${answer.error?.details}`);
    return answer.response;
  };
  await spend(CREATE, create({ code: "budget" }));
  await spend(UPDATE, update({ code: "budget", title: "t" }));
  await spend(DELETE, DeleteLinkRequest.encode({ code: "budget" }).finish());
  const issued = CreateApiKeyResponse.decode(
    (await spend(
      "/kurt.v1.ApiKeyService/CreateApiKey",
      CreateApiKeyRequest.encode({ name: "ci", scopes: ["links:read"] }).finish(),
    )) as Buffer,
  );
  await spend(
    "/kurt.v1.ApiKeyService/RevokeApiKey",
    RevokeApiKeyRequest.encode({ id: issued.apiKey?.id ?? "" }).finish(),
  );
  const { error } = await call(CREATE, create(), secrets.admin);
  assert.is(error?.code, status.RESOURCE_EXHAUSTED, `5 writes spent a burst of ${BURST}`);
});

test("reads, and writes without a valid key or scope, use up no one's budget", async () => {
  refill();
  for (let i = 0; i < 3 * BURST; i++) {
    assert.is((await call(CREATE, create())).error?.code, status.UNAUTHENTICATED);
    assert.is((await call(CREATE, create(), "kurt_not-a-key")).error?.code, status.UNAUTHENTICATED);
    assert.is((await call(CREATE, create(), secrets.reader)).error?.code, status.PERMISSION_DENIED);
    assert.is((await call(GET, GetLinkRequest.encode({ code: "in-bounds" }).finish(), secrets.writer)).error, null);
  }
  for (let i = 0; i < BURST; i++)
    assert.is((await call(CREATE, create(), secrets.writer)).error, null, `write ${i + 1} of the burst`);
});

test("the key is checked before the budget and the input: a bad key with bad input is UNAUTHENTICATED", async () => {
  refill();
  const { error } = await call(CREATE, withRaw(create({ url: "ftp://x" }), 2n ** 62n), "kurt_not-a-key");
  assert.is(error?.code, status.UNAUTHENTICATED);
  for (let i = 0; i < BURST; i++) await call(CREATE, create(), secrets.writer);
  const spent = await call(CREATE, withRaw(create({ url: "ftp://x" }), 2n ** 62n), secrets.writer);
  assert.is(spent.error?.code, status.RESOURCE_EXHAUSTED, "an empty budget is told before the input is judged");
});

test("GetLinkQrCode is a read: links:read suffices, no budget is used, the key is checked before the input", async () => {
  refill();
  const QR = "/kurt.v1.LinkService/GetLinkQrCode";
  const qr = (fields: Partial<GetLinkQrCodeRequest>) =>
    GetLinkQrCodeRequest.encode(GetLinkQrCodeRequest.fromPartial({ code: "in-bounds", ...fields })).finish();
  assert.is((await call(QR, qr({ size: 0 }))).error?.code, status.UNAUTHENTICATED);
  const headers = new Promise<Metadata>((resolve) => {
    const metadata = new Metadata();
    metadata.set("authorization", `Bearer ${secrets.reader}`);
    client
      .makeUnaryRequest(
        QR,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        Buffer.from(qr({ format: "png" })),
        metadata,
        () => {},
      )
      .on("metadata", resolve);
  });
  assert.is((await headers).get("cache-control")[0], "private, max-age=86400");
  for (let i = 0; i < 3 * BURST; i++) {
    const { error, response } = await call(QR, qr({}), secrets.reader);
    assert.is(error, null);
    const body = HttpBody.decode(response as Buffer);
    assert.is(body.contentType, "image/svg+xml");
    assert.match(body.data.toString("utf8"), /^<svg /);
  }
  const bad = await call(QR, qr({ size: 0 }), secrets.reader);
  assert.is(bad.error?.code, status.INVALID_ARGUMENT);
  assert.is(bad.error?.metadata.get("x-kurt-error-field")[0], "size");
  assert.is((await call(QR, qr({ code: "no-such-code" }), secrets.reader)).error?.code, status.NOT_FOUND);
  for (let i = 0; i < BURST; i++)
    assert.is((await call(CREATE, create(), secrets.writer)).error, null, `write ${i + 1}`);
});

const BATCH = "/kurt.v1.LinkService/BatchCreateLinks";
const batch = (links: Partial<CreateLinkRequest>[]) =>
  BatchCreateLinksRequest.encode(
    BatchCreateLinksRequest.fromPartial({ links: links.map((fields) => ({ url: "https://example.com/", ...fields })) }),
  ).finish();

test("a batch: one token, one result per item in order, a code repeated in the batch goes to its first item", async () => {
  refill();
  const before = linkStore.writes.length;
  const answer = await call(
    BATCH,
    batch([
      { code: "batch-one" },
      { url: "ftp://example.com/" },
      { code: "batch-one", url: "https://example.com/again" },
      { code: "batch-two", maxVisits: 0 },
      { code: "batch-three", rules: [{ device: "ios", url: "https://example.com/ios" }] },
    ]),
    secrets.writer,
  );
  assert.is(answer.error, null);
  const { results } = BatchCreateLinksResponse.decode(answer.response as Buffer);
  assert.equal(
    results.map((result) => (result.link !== undefined ? `link ${result.link.code}` : `error ${result.error?.code}`)),
    [
      "link batch-one",
      `error ${status.INVALID_ARGUMENT}`,
      `error ${status.ALREADY_EXISTS}`,
      `error ${status.INVALID_ARGUMENT}`,
      "link batch-three",
    ],
  );
  assert.match(results[2]?.error?.message ?? "", /links\[0\]/);
  assert.match(results[3]?.error?.message ?? "", /maxVisits/);
  assert.equal(linkStore.writes.slice(before), ["insert batch-one", "insert batch-three"]);
  // One call took one token: BURST - 1 single creates still pass.
  for (let i = 0; i < BURST - 1; i++) assert.is((await call(CREATE, create(), secrets.writer)).error, null);
  assert.is((await call(CREATE, create(), secrets.writer)).error?.code, status.RESOURCE_EXHAUSTED);
});

test("a batch of none or of more than 1,000 links is refused whole, writing nothing", async () => {
  refill();
  const before = linkStore.writes.length;
  const none = await call(BATCH, batch([]), secrets.writer);
  assert.is(none.error?.code, status.INVALID_ARGUMENT);
  assert.match(none.error?.details ?? "", /links: must hold at least 1/);
  const many = await call(BATCH, batch(Array.from({ length: 1_001 }, () => ({}))), secrets.writer);
  assert.is(many.error?.code, status.INVALID_ARGUMENT);
  assert.match(many.error?.details ?? "", /at most 1000 links, got 1001/);
  assert.is((await call(BATCH, batch([{}]), secrets.reader)).error?.code, status.PERMISSION_DENIED);
  assert.is(linkStore.writes.length, before);
});

test.run();
