import { createKurtClient, KurtError } from "@kurt/sdk";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey } from "../support/api-keys.js";
import { internalGrpcAddress } from "../support/grpc-client.js";
import { uniqueCode } from "../support/links-api.js";
import { decodeQrPng } from "../support/qr-decode.js";
import { uniqueName } from "../support/stack.js";
import { waitFor } from "../support/tool.js";

// The TypeScript SDK as an internal system uses it: through Envoy's internal
// gRPC listener, with a key it made for itself.

const admin = createKurtClient({ address: internalGrpcAddress, apiKey: adminKey() });
let kurt = admin;

test.before(async () => {
  const { secret } = await admin.createApiKey({
    name: uniqueName("sdk-ts"),
    scopes: ["links:write", "links:read", "stats:read"],
  });
  kurt = createKurtClient({ address: internalGrpcAddress, apiKey: secret });
});

test.after(() => {
  kurt.close();
  admin.close();
});

test("create, get, resolve and read the stats of a link", async () => {
  const code = uniqueCode("sdkts");
  const url = `https://example.com/sdk/ts/${code}`;
  const link = await kurt.createLink({ url, code, redirectStatus: 302, title: "SDK", tags: ["sdk"] });
  assert.is(link.code, code);
  assert.is(link.url, url);
  assert.is(link.redirectStatus, 302);
  assert.ok(link.shortUrl.endsWith(`/${code}`));
  assert.equal((await kurt.getLink(code)).tags, ["sdk"]);

  const resolved = await kurt.resolve(code);
  assert.is(resolved.url, url);
  assert.is(resolved.redirectStatus, 302);

  const now = Date.now();
  const stats = await waitFor(
    `stats of ${code}`,
    async () => {
      const answer = await kurt.getLinkStats(code, {
        from: new Date(now - 3_600_000),
        to: new Date(now + 3_600_000),
        interval: "hour",
      });
      return answer.total >= 1 ? answer : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
  assert.is(stats.code, code);
  assert.is(stats.total, 1);
  assert.is(
    stats.series.reduce((sum, point) => sum + point.clicks, 0),
    1,
  );
});

test("update, list and delete", async () => {
  const code = uniqueCode("sdkts");
  await kurt.createLink({ url: "https://example.com/sdk/before", code });
  const updated = await kurt.updateLink({ code, url: "https://example.com/sdk/after", disabled: true, tags: [] });
  assert.is(updated.url, "https://example.com/sdk/after");
  assert.is(updated.disabled, true);
  const page = await kurt.listLinks({ pageSize: 5 });
  assert.ok(page.links.length >= 1 && page.links.length <= 5);
  await kurt.deleteLink(code);
  const error = await kurt.getLink(code).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  assert.is((error as KurtError).code, "not_found");
});

test("batch create, visit caps, passwords and rules through the SDK", async () => {
  const code = uniqueCode("sdkbatch");
  const { results } = await kurt.batchCreateLinks([
    {
      url: `https://example.com/sdk/ts/${code}`,
      code,
      maxVisits: 1,
      rules: [{ language: "de", url: "https://example.de/" }],
    },
    { url: "ftp://example.com/x" },
    { url: "https://example.com/sdk/ts/locked", password: "sdk-secret" },
  ]);
  assert.is(results.length, 3);
  const [capped, bad, locked] = results;
  assert.equal(capped?.link?.rules, [
    { language: "de", url: "https://example.de/", device: undefined, country: undefined, query: undefined },
  ]);
  assert.is(capped?.link?.maxVisits, 1);
  assert.is(bad?.error?.code, 3);
  assert.match(bad?.error?.message ?? "", /url/);
  assert.is(locked?.link?.passwordProtected, true);
  // A counted resolve takes the one visit; the next is gone.
  assert.is((await kurt.resolve(code, { countClick: true })).url, `https://example.com/sdk/ts/${code}`);
  assert.is(((await kurt.resolve(code).catch((e: unknown) => e)) as KurtError).code, "gone");
  assert.is((await kurt.getLink(code)).visits, 1);
  // A password link cannot be resolved over gRPC: its visitors give the password in the redirect's form.
  const lockedCode = locked?.link?.code as string;
  assert.is(((await kurt.resolve(lockedCode).catch((e: unknown) => e)) as KurtError).code, "permission_denied");
  const cleared = await kurt.updateLink({ code, clearMaxVisits: true, rules: [] });
  assert.is(cleared.maxVisits, undefined);
  assert.equal(cleared.rules, []);
});

test("a code already taken is a typed already_exists error", async () => {
  const code = uniqueCode("sdkts");
  await kurt.createLink({ url: "https://example.com/sdk/first", code });
  const error = await kurt.createLink({ url: "https://example.com/sdk/second", code }).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  const kurtError = error as KurtError;
  assert.is(kurtError.code, "already_exists");
  assert.is(kurtError.field, "code");
  assert.match(kurtError.message, /code/);
});

test("a QR code of a link's short URL, as SVG or PNG; a bad size is invalid_argument naming it", async () => {
  const link = await kurt.createLink({ url: "https://example.com/sdk/ts/qr" });
  const png = await kurt.getLinkQrCode(link.code, { format: "png", size: 128 });
  assert.is(png.contentType, "image/png");
  const decoded = decodeQrPng(png.data);
  assert.is(decoded.width, 128);
  assert.is(decoded.text, link.shortUrl);
  const svg = await kurt.getLinkQrCode(link.code);
  assert.is(svg.contentType, "image/svg+xml");
  assert.match(svg.data.toString("utf8"), /^<svg [^>]*width="256" height="256"/);
  const error = await kurt.getLinkQrCode(link.code, { size: 5000 }).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  assert.is((error as KurtError).code, "invalid_argument");
  assert.is((error as KurtError).field, "size");
});

test("a bad URL is a typed invalid_argument error naming the field", async () => {
  const error = await kurt.createLink({ url: "javascript:alert(1)" }).catch((e: unknown) => e);
  assert.instance(error, KurtError);
  const kurtError = error as KurtError;
  assert.is(kurtError.code, "invalid_argument");
  assert.is(kurtError.field, "url");
  assert.match(kurtError.message, /url/);
});

test("a wrong key is unauthenticated, a missing scope permission_denied", async () => {
  const stranger = createKurtClient({ address: internalGrpcAddress, apiKey: "kurt_not_a_real_key" });
  try {
    const error = await stranger.getLink("anything").catch((e: unknown) => e);
    assert.is((error as KurtError).code, "unauthenticated");
  } finally {
    stranger.close();
  }
  const { secret } = await admin.createApiKey({ name: uniqueName("sdk-ts-ro"), scopes: ["links:read"] });
  const reader = createKurtClient({ address: internalGrpcAddress, apiKey: secret });
  try {
    const error = await reader.createLink({ url: "https://example.com/sdk/ro" }).catch((e: unknown) => e);
    assert.is((error as KurtError).code, "permission_denied");
  } finally {
    reader.close();
  }
});

test("nothing listening: reads retry, then fail as unavailable within the deadline", async () => {
  // Port 1 on loopback: connection refused at once, so every attempt is UNAVAILABLE.
  const nowhere = createKurtClient({ address: "127.0.0.1:1", deadlineMs: 2_000 });
  try {
    const started = Date.now();
    const error = await nowhere.getLink("x").catch((e: unknown) => e);
    assert.is((error as KurtError).code, "unavailable");
    assert.ok(Date.now() - started < 2_500);
  } finally {
    nowhere.close();
  }
});

test.run();
