import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApiKey } from "../support/api-keys.js";
import { describe, request } from "../support/http-client.js";
import { createLink, isDeleted, type LinkJson, uniqueCode } from "../support/links-api.js";
import { decodeQrPng } from "../support/qr-decode.js";
import { gatewayUrl } from "../support/stack.js";

// `GET /v1/links/{code}/qr` through Envoy: the transcoder sends the shortener's
// google.api.HttpBody as the raw body with its content type, and the image is
// a QR code of the link's shortUrl (decoded back here with jsqr).

const keys = { writer: "", reader: "", stats: "" };
let link: LinkJson;

test.before(async () => {
  keys.writer = (await createApiKey(["links:write", "links:read"])).secret;
  keys.reader = (await createApiKey(["links:read"])).secret;
  keys.stats = (await createApiKey(["stats:read"])).secret;
  link = await createLink(keys.writer, { url: "https://example.com/e2e/qr", code: uniqueCode("qr") });
});

interface ImageAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

/** The answer's body as bytes: a PNG is not text. */
async function fetchQr(path: string, key: string | null = keys.reader, method = "GET"): Promise<ImageAnswer> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

const qrPath = (code: string, query = "") => `/v1/links/${encodeURIComponent(code)}/qr${query}`;
const show = (answer: ImageAnswer) => `${answer.status} ${answer.body.toString("utf8").slice(0, 300)}`;

test("a PNG QR code decodes to the link's shortUrl, at the size asked for, cacheable privately for a day", async () => {
  for (const [query, size] of [
    ["?format=png", 256],
    ["?format=png&size=512", 512],
    ["?size=128&format=png", 128],
  ] as const) {
    const answer = await fetchQr(qrPath(link.code, query));
    assert.is(answer.status, 200, show(answer));
    assert.is(answer.headers.get("content-type"), "image/png");
    assert.is(answer.headers.get("cache-control"), "private, max-age=86400");
    assert.is(answer.headers.get("grpc-status"), null, "no gRPC header reaches an HTTP client");
    const image = decodeQrPng(answer.body);
    assert.is(image.width, size, query);
    assert.is(image.height, size, query);
    assert.is(image.text, link.shortUrl, query);
  }
});

test("an SVG QR code is the default: image/svg+xml, one <svg> element as wide and high as the size", async () => {
  for (const [query, size] of [
    ["", 256],
    ["?format=svg", 256],
    ["?format=svg&size=1024", 1024],
  ] as const) {
    const answer = await fetchQr(qrPath(link.code, query));
    assert.is(answer.status, 200, show(answer));
    assert.is(answer.headers.get("content-type"), "image/svg+xml");
    assert.is(answer.headers.get("cache-control"), "private, max-age=86400");
    const svg = answer.body.toString("utf8");
    assert.match(svg, new RegExp(`^<svg xmlns="http://www\\.w3\\.org/2000/svg" width="${size}" height="${size}" `));
    assert.match(svg, /<\/svg>\s*$/);
  }
});

test("the same code draws the same image twice", async () => {
  const first = await fetchQr(qrPath(link.code, "?format=png"));
  const second = await fetchQr(qrPath(link.code, "?format=png"), keys.writer);
  assert.ok(first.body.equals(second.body));
});

test("HEAD answers the headers of GET without the image", async () => {
  const answer = await fetchQr(qrPath(link.code, "?format=png"), keys.reader, "HEAD");
  assert.is(answer.status, 200);
  assert.is(answer.headers.get("content-type"), "image/png");
  assert.is(answer.body.length, 0);
});

interface BadCase {
  readonly name: string;
  readonly path: () => string;
  readonly key?: "reader" | "stats" | "none";
  readonly status: number;
  readonly reason: RegExp;
}

const BAD: readonly BadCase[] = [
  {
    name: "format=gif",
    path: () => qrPath(link.code, "?format=gif"),
    status: 400,
    reason: /^format: must be svg or png/,
  },
  { name: "format=PNG", path: () => qrPath(link.code, "?format=PNG"), status: 400, reason: /^format: / },
  { name: "format= (empty)", path: () => qrPath(link.code, "?format="), status: 400, reason: /^format: / },
  { name: "size=0", path: () => qrPath(link.code, "?size=0"), status: 400, reason: /^size: must be 128 to 1024/ },
  {
    name: "size=99999",
    path: () => qrPath(link.code, "?size=99999"),
    status: 400,
    reason: /^size: must be 128 to 1024/,
  },
  { name: "size=-5", path: () => qrPath(link.code, "?size=-5"), status: 400, reason: /^size: / },
  { name: "size=abc", path: () => qrPath(link.code, "?size=abc"), status: 400, reason: /^size: / },
  { name: "size=1.5", path: () => qrPath(link.code, "?size=1.5"), status: 400, reason: /^size: / },
  {
    name: "an unknown query parameter",
    path: () => qrPath(link.code, "?format=png&color=red"),
    status: 400,
    reason: /^color: not a query parameter of GET \/v1\/links\/\{code\}\/qr/,
  },
  {
    name: "code as a query parameter (it is the path's)",
    path: () => qrPath(link.code, "?code=other"),
    status: 400,
    reason: /^code: not a query parameter/,
  },
  { name: "an unknown code", path: () => qrPath(uniqueCode("none")), status: 404, reason: /^link "none-.*" not found/ },
  { name: "a malformed code", path: () => qrPath("a.b"), status: 400, reason: /^code: / },
  { name: "no key", path: () => qrPath(link.code), key: "none", status: 401, reason: /API key|authori[sz]ation/i },
  {
    name: "a key without links:read",
    path: () => qrPath(link.code),
    key: "stats",
    status: 403,
    reason: /links:read/,
  },
  { name: "a trailing slash", path: () => `${qrPath(link.code)}/`, status: 404, reason: /no such call/ },
];

for (const bad of BAD) {
  test(`refused with ${bad.status} and a JSON body saying why: ${bad.name}`, async () => {
    const key = bad.key === "none" ? null : keys[bad.key ?? "reader"];
    const answer = await fetchQr(bad.path(), key);
    assert.is(answer.status, bad.status, show(answer));
    assert.match(answer.headers.get("content-type") ?? "", /^application\/json/, show(answer));
    assert.is(answer.headers.get("cache-control"), null, "a refusal is not cached for a day");
    const body = JSON.parse(answer.body.toString("utf8")) as { code: number; message: string };
    assert.match(body.message, bad.reason, show(answer));
  });
}

test("a deleted link has no QR code any more: 404", async () => {
  const doomed = await createLink(keys.writer, { url: "https://example.com/e2e/qr-gone", code: uniqueCode("qrgone") });
  assert.is((await fetchQr(qrPath(doomed.code))).status, 200);
  const deleted = await request("DELETE", `/v1/links/${doomed.code}`, { key: keys.writer });
  assert.ok(isDeleted(deleted), describe(deleted));
  const answer = await fetchQr(qrPath(doomed.code));
  assert.is(answer.status, 404, show(answer));
});

test.run();
