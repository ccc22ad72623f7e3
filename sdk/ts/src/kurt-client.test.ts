import {
  Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  ApiKeyServiceService,
  type Domain,
  DomainServiceService,
  type Link,
  LinkServiceService,
  ResolverServiceService,
  Stats,
  StatsServiceService,
} from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createKurtClient, type KurtClient } from "./kurt-client.js";
import { KurtError } from "./kurt-error.js";

// The client against an in-process gRPC server that records what it is sent:
// the translation of every call to its request is under test, not Kurt.

/** Every service the SDK wraps: each of their RPCs is a method of the client of the same name. */
const SERVICES: Record<string, ServiceDefinition> = {
  "kurt.v1.LinkService": LinkServiceService,
  "kurt.v1.ResolverService": ResolverServiceService,
  "kurt.v1.StatsService": StatsServiceService,
  "kurt.v1.ApiKeyService": ApiKeyServiceService,
  "kurt.v1.DomainService": DomainServiceService,
};

interface Received {
  readonly method: string;
  readonly request: Record<string, unknown>;
  readonly metadata: Metadata;
}

const received: Received[] = [];
/** Failures to answer next, per method, in order; then the method answers `answers[method]`. */
const failures = new Map<string, { code: status; trailerCode?: string }[]>();

const link: Link = {
  code: "launch",
  domain: "go.example.com",
  shortUrl: "http://go.example.com/launch",
  url: "https://example.com/launch",
  redirectStatus: 302,
  createdAt: new Date(0),
  updatedAt: new Date(0),
  expiresAt: undefined,
  disabled: false,
  title: undefined,
  tags: [],
  cacheSeconds: 0,
  forwardQuery: false,
  maxVisits: undefined,
  visits: 0,
  passwordProtected: false,
  rules: [],
};
const domain: Domain = {
  domain: "go.example.com",
  rootRedirect: "https://example.com/",
  notFoundRedirect: undefined,
  isDefault: false,
  createdAt: new Date(0),
};
const answers: Record<string, unknown> = {
  createLink: link,
  batchCreateLinks: { results: [] },
  getLink: link,
  updateLink: link,
  listLinks: { links: [link], nextPageToken: "" },
  deleteLink: {},
  getLinkQrCode: { contentType: "image/svg+xml", data: Buffer.from("<svg />"), extensions: [] },
  resolve: { url: link.url, redirectStatus: 302, servedBy: 0 },
  getLinkStats: Stats.fromPartial({ code: "launch", domain: "go.example.com" }),
  createDomain: domain,
  listDomains: { domains: [domain] },
  updateDomain: domain,
  deleteDomain: domain,
};

function recording(definition: ServiceDefinition): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) {
    implementation[method] = (
      call: ServerUnaryCall<Record<string, unknown>, unknown>,
      done: sendUnaryData<unknown>,
    ) => {
      received.push({ method, request: call.request, metadata: call.metadata });
      const failure = failures.get(method)?.shift();
      if (failure !== undefined) {
        const trailers = new Metadata();
        if (failure.trailerCode !== undefined) trailers.set("x-kurt-error-code", failure.trailerCode);
        done({ code: failure.code, details: `${method} failed`, metadata: trailers });
        return;
      }
      done(null, answers[method] ?? {});
    };
  }
  return implementation;
}

const server = new Server();
let kurt: KurtClient;

test.before(async () => {
  for (const definition of Object.values(SERVICES)) server.addService(definition, recording(definition));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  kurt = createKurtClient({
    address: `127.0.0.1:${port}`,
    apiKey: "kurt_test",
    retry: { initialBackoffMs: 1, maxBackoffMs: 2 },
  });
});

test.before.each(() => {
  received.length = 0;
  failures.clear();
});

test.after(() => {
  kurt.close();
  server.forceShutdown();
});

/** The last request `method` received, without the fields it did not set. */
function last(method: string): Record<string, unknown> {
  const found = received.filter((r) => r.method === method).at(-1);
  assert.ok(found, `${method} was not called`);
  return Object.fromEntries(Object.entries((found as Received).request).filter(([, value]) => value !== undefined));
}

test("the client has a method for every RPC of the services it wraps", () => {
  const missing = Object.entries(SERVICES).flatMap(([service, definition]) =>
    Object.keys(definition)
      .filter((method) => typeof (kurt as unknown as Record<string, unknown>)[method] !== "function")
      .map((method) => `${service}/${method}`),
  );
  assert.equal(missing, []);
});

test("the domain option reaches every link call, stats and resolve", async () => {
  const inDomain = { domain: "go.example.com" };
  await kurt.createLink({ url: link.url, code: "launch", ...inDomain });
  assert.is(last("createLink").domain, "go.example.com");
  await kurt.getLink("launch", inDomain);
  assert.equal(last("getLink"), { code: "launch", domain: "go.example.com" });
  await kurt.updateLink({ code: "launch", disabled: true, ...inDomain });
  assert.is(last("updateLink").domain, "go.example.com");
  await kurt.deleteLink("launch", inDomain);
  assert.equal(last("deleteLink"), { code: "launch", domain: "go.example.com" });
  await kurt.getLinkQrCode("launch", { format: "png", ...inDomain });
  assert.is(last("getLinkQrCode").domain, "go.example.com");
  await kurt.listLinks({ pageSize: 5, ...inDomain });
  assert.equal(last("listLinks"), { pageSize: 5, pageToken: "", domain: "go.example.com" });
  await kurt.getLinkStats("launch", { interval: "day", ...inDomain });
  assert.is(last("getLinkStats").domain, "go.example.com");
  await kurt.resolve("launch", { countClick: false, ...inDomain });
  assert.equal(last("resolve"), { code: "launch", domain: "go.example.com" });
});

test("without the option no domain is sent: the default domain (or, for a list, every domain)", async () => {
  await kurt.createLink({ url: link.url });
  assert.is(last("createLink").domain, undefined);
  await kurt.getLink("launch");
  assert.equal(last("getLink"), { code: "launch" });
  await kurt.deleteLink("launch", { deadlineMs: 1_000 });
  assert.equal(last("deleteLink"), { code: "launch" });
  await kurt.listLinks();
  assert.equal(last("listLinks"), { pageSize: 0, pageToken: "" });
  await kurt.resolve("launch");
  assert.equal(last("resolve"), { code: "launch" });
  await kurt.getLinkStats("launch");
  assert.is(last("getLinkStats").domain, undefined);
});

test("createLink sends maxVisits, password and the rules in order, each with the conditions it was given", async () => {
  await kurt.createLink({
    url: link.url,
    maxVisits: 100,
    password: "open sesame",
    rules: [
      { device: "ios", url: "https://apps.apple.com/app/kurt" },
      { country: "DE", language: "de", url: "https://example.com/de" },
      { query: { name: "ref" }, url: "https://example.com/ref" },
      { query: { name: "utm_source", value: "mail" }, url: "https://example.com/mail" },
    ],
  });
  const sent = last("createLink");
  assert.is(sent.maxVisits, 100);
  assert.is(sent.password, "open sesame");
  // Decoded by the server: a condition that was not given arrives unset, never as "".
  assert.equal(sent.rules, [
    {
      device: "ios",
      country: undefined,
      language: undefined,
      query: undefined,
      url: "https://apps.apple.com/app/kurt",
    },
    { device: undefined, country: "DE", language: "de", query: undefined, url: "https://example.com/de" },
    {
      device: undefined,
      country: undefined,
      language: undefined,
      query: { name: "ref", value: undefined },
      url: "https://example.com/ref",
    },
    {
      device: undefined,
      country: undefined,
      language: undefined,
      query: { name: "utm_source", value: "mail" },
      url: "https://example.com/mail",
    },
  ]);
});

test("createLink without the new fields sends no cap, no password and no rules", async () => {
  await kurt.createLink({ url: link.url });
  const sent = last("createLink");
  assert.is(sent.maxVisits, undefined);
  assert.is(sent.password, undefined);
  assert.equal(sent.rules, []);
});

test("updateLink sends maxVisits, a password and the rules as a list of plain rule objects", async () => {
  await kurt.updateLink({
    code: "launch",
    maxVisits: 10,
    password: "new secret",
    rules: [
      { device: "android", url: "https://play.google.com/store/apps/details?id=kurt" },
      { query: { name: "beta", value: "1" }, language: "en", url: "https://example.com/beta" },
    ],
  });
  const sent = last("updateLink");
  assert.is(sent.maxVisits, 10);
  assert.is(sent.clearMaxVisits, false);
  assert.is(sent.password, "new secret");
  // A google.protobuf.ListValue: JSON-like objects without unset members, in the order given.
  assert.equal(sent.rules, [
    { device: "android", url: "https://play.google.com/store/apps/details?id=kurt" },
    { query: { name: "beta", value: "1" }, language: "en", url: "https://example.com/beta" },
  ]);
});

test('updateLink: clearMaxVisits removes the cap, password "" the password, rules [] every rule', async () => {
  await kurt.updateLink({ code: "launch", clearMaxVisits: true, password: "", rules: [] });
  const sent = last("updateLink");
  assert.is(sent.clearMaxVisits, true);
  assert.is(sent.maxVisits, undefined);
  // "" and [] are sent, not dropped: they remove.
  assert.is(sent.password, "");
  assert.equal(sent.rules, []);
});

test("updateLink leaves the cap, the password and the rules alone when not given", async () => {
  await kurt.updateLink({ code: "launch", title: "Launch" });
  const sent = last("updateLink");
  assert.is(sent.maxVisits, undefined);
  assert.is(sent.clearMaxVisits, false);
  assert.is(sent.password, undefined);
  assert.is(sent.rules, undefined);
});

test("batchCreateLinks sends every item in order, each as createLink would", async () => {
  await kurt.batchCreateLinks([
    { url: "https://example.com/1", code: "one", tags: ["batch"] },
    { url: "https://example.com/2", domain: "go.example.com", maxVisits: 5 },
    { url: "https://example.com/3", password: "s3cret!", rules: [{ country: "FR", url: "https://example.com/fr" }] },
  ]);
  const sent = last("batchCreateLinks").links as Record<string, unknown>[];
  assert.equal(
    sent.map((item) => [item.url, item.code, item.domain, item.maxVisits, item.password, item.tags]),
    [
      ["https://example.com/1", "one", undefined, undefined, undefined, ["batch"]],
      ["https://example.com/2", undefined, "go.example.com", 5, undefined, []],
      ["https://example.com/3", undefined, undefined, undefined, "s3cret!", []],
    ],
  );
  assert.equal(
    sent.map((item) => (item.rules as { country?: string; url: string }[]).map((rule) => [rule.country, rule.url])),
    [[], [], [["FR", "https://example.com/fr"]]],
  );
  assert.is(received.filter((r) => r.method === "batchCreateLinks").length, 1);
});

test("batchCreateLinks answers one result per item as the server sent them: links and errors mixed", async () => {
  const results = [
    { link: { ...link, code: "one" } },
    { error: { code: status.ALREADY_EXISTS, message: 'code: "two" is already taken' } },
    { link: { ...link, code: "three", maxVisits: 5 } },
    { error: { code: status.INVALID_ARGUMENT, message: "url: must be an absolute http or https URL" } },
  ];
  const previous = answers.batchCreateLinks;
  answers.batchCreateLinks = { results };
  try {
    const answer = await kurt.batchCreateLinks([
      { url: "https://example.com/1", code: "one" },
      { url: "https://example.com/2", code: "two" },
      { url: "https://example.com/3", code: "three", maxVisits: 5 },
      { url: "javascript:alert(1)" },
    ]);
    // Decoded, an answer that is not set is undefined: compare what each result holds.
    assert.equal(
      answer.results.map((result) =>
        result.link !== undefined
          ? { link: result.link.code, maxVisits: result.link.maxVisits }
          : { error: result.error },
      ),
      [
        { link: "one", maxVisits: undefined },
        { error: { code: 6, message: 'code: "two" is already taken' } },
        { link: "three", maxVisits: 5 },
        { error: { code: 3, message: "url: must be an absolute http or https URL" } },
      ],
    );
    assert.is(
      answer.results.every((result) => (result.link === undefined) !== (result.error === undefined)),
      true,
    );
  } finally {
    answers.batchCreateLinks = previous;
  }
});

test("batchCreateLinks is a write: never retried on UNAVAILABLE", async () => {
  failures.set("batchCreateLinks", [{ code: status.UNAVAILABLE }]);
  const error = await kurt.batchCreateLinks([{ url: link.url }]).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  assert.is((error as KurtError).code, "unavailable");
  assert.is(received.filter((r) => r.method === "batchCreateLinks").length, 1);
});

test("domain calls send their fields and answer the Domain", async () => {
  const created = await kurt.createDomain({ domain: "go.example.com", rootRedirect: "https://example.com/" });
  assert.is(created.domain, "go.example.com");
  assert.equal(last("createDomain"), { domain: "go.example.com", rootRedirect: "https://example.com/" });
  const listed = await kurt.listDomains();
  assert.equal(
    listed.domains.map((d) => d.domain),
    ["go.example.com"],
  );
  await kurt.updateDomain({ domain: "go.example.com", rootRedirect: "", notFoundRedirect: "https://example.com/404" });
  // "" is sent, not dropped: it removes the redirect.
  assert.equal(last("updateDomain"), {
    domain: "go.example.com",
    rootRedirect: "",
    notFoundRedirect: "https://example.com/404",
  });
  assert.is((await kurt.deleteDomain("go.example.com")).domain, "go.example.com");
  assert.equal(last("deleteDomain"), { domain: "go.example.com" });
  assert.is(
    received.every((r) => r.metadata.get("authorization")[0] === "Bearer kurt_test"),
    true,
  );
});

test("listDomains is retried on UNAVAILABLE; domain writes never are", async () => {
  failures.set("listDomains", [{ code: status.UNAVAILABLE }]);
  await kurt.listDomains();
  assert.is(received.filter((r) => r.method === "listDomains").length, 2);

  failures.set("createDomain", [{ code: status.UNAVAILABLE }]);
  const error = await kurt.createDomain({ domain: "go.example.com" }).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  assert.is((error as KurtError).code, "unavailable");
  assert.is(received.filter((r) => r.method === "createDomain").length, 1);
});

test("a domain that still holds links is a conflict, with or without Kurt's trailer", async () => {
  failures.set("deleteDomain", [{ code: status.ABORTED, trailerCode: "conflict" }, { code: status.ABORTED }]);
  for (let attempt = 0; attempt < 2; attempt++) {
    const error = await kurt.deleteDomain("go.example.com").catch((e: unknown) => e);
    assert.instance(error, KurtError);
    assert.is((error as KurtError).code, "conflict");
    assert.is((error as KurtError).grpcStatus, status.ABORTED);
  }
});

test.run();
