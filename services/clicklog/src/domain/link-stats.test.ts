import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLinkStats, type StatsSnapshot, type StatsStore } from "./link-stats.js";

const NOW = new Date("2030-03-10T15:42:07Z");
const HOST = "127.0.0.1:24080";

function storeWith(snapshot: StatsSnapshot | undefined): StatsStore & { calls: number; asked: string[][] } {
  return {
    calls: 0,
    asked: [],
    async read(domain, code) {
      this.calls += 1;
      this.asked.push([domain, code]);
      return snapshot;
    },
  };
}

const EMPTY_TOP = { referrer: [], browser: [], os: [], device: [], country: [] };

async function refusal(call: () => Promise<unknown>): Promise<KurtError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof KurtError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

test("the series has every bucket of the range, zeros included, and adds up to the total", async () => {
  const stats = createLinkStats({
    now: () => NOW,
    defaultHost: HOST,
    store: storeWith({
      hours: [
        { hour: new Date("2030-03-04T09:00:00Z"), clicks: 3, human: 2, bot: 1, prefetch: 0 },
        { hour: new Date("2030-03-04T17:00:00Z"), clicks: 6, human: 4, bot: 0, prefetch: 2 },
        { hour: new Date("2030-03-10T15:00:00Z"), clicks: 5, human: 1, bot: 4, prefetch: 0 },
      ],
      top: { ...EMPTY_TOP, referrer: [{ value: "direct", clicks: 14 }] },
      uniqueVisitors: 6,
    }),
  });
  const result = await stats({ code: "abc1234" });
  assert.is(result.series.length, 8);
  assert.equal(
    result.series.map((point) => [point.start.toISOString().slice(0, 10), point.clicks]),
    [
      ["2030-03-03", 0],
      ["2030-03-04", 9],
      ["2030-03-05", 0],
      ["2030-03-06", 0],
      ["2030-03-07", 0],
      ["2030-03-08", 0],
      ["2030-03-09", 0],
      ["2030-03-10", 5],
    ],
  );
  assert.equal(
    [result.total, result.humanTotal, result.botTotal, result.prefetchTotal, result.uniqueVisitors],
    [14, 7, 5, 2, 6],
  );
  assert.equal(result.referrers, [{ value: "direct", clicks: 14 }]);
});

test("each breakdown is the store's top values of its dimension, countries included", async () => {
  const stats = createLinkStats({
    now: () => NOW,
    defaultHost: HOST,
    store: storeWith({
      hours: [{ hour: new Date("2030-03-10T13:00:00Z"), clicks: 6, human: 6, bot: 0, prefetch: 0 }],
      top: {
        referrer: [{ value: "direct", clicks: 6 }],
        browser: [{ value: "Firefox", clicks: 6 }],
        os: [{ value: "Linux", clicks: 6 }],
        device: [{ value: "desktop", clicks: 6 }],
        country: [
          { value: "DE", clicks: 4 },
          { value: "unknown", clicks: 2 },
        ],
      },
      uniqueVisitors: 3,
    }),
  });
  const result = await stats({ code: "abc1234" });
  assert.equal(
    [result.referrers, result.browsers, result.os, result.devices, result.countries],
    [
      [{ value: "direct", clicks: 6 }],
      [{ value: "Firefox", clicks: 6 }],
      [{ value: "Linux", clicks: 6 }],
      [{ value: "desktop", clicks: 6 }],
      [
        { value: "DE", clicks: 4 },
        { value: "unknown", clicks: 2 },
      ],
    ],
  );
});

test("by hour, each hour is its own point", async () => {
  const stats = createLinkStats({
    now: () => NOW,
    defaultHost: HOST,
    store: storeWith({
      hours: [{ hour: new Date("2030-03-10T13:00:00Z"), clicks: 2, human: 2, bot: 0, prefetch: 0 }],
      top: EMPTY_TOP,
      uniqueVisitors: 1,
    }),
  });
  const result = await stats({
    code: "abc1234",
    from: new Date("2030-03-10T12:10:00Z"),
    to: new Date("2030-03-10T14:00:00Z"),
    interval: "hour",
  });
  assert.equal(
    result.series.map((point) => [point.start.toISOString(), point.clicks]),
    [
      ["2030-03-10T12:00:00.000Z", 0],
      ["2030-03-10T13:00:00.000Z", 2],
    ],
  );
});

test("a link with no clicks has zero totals and a series of zeros", async () => {
  const stats = createLinkStats({
    now: () => NOW,
    defaultHost: HOST,
    store: storeWith({ hours: [], top: EMPTY_TOP, uniqueVisitors: 0 }),
  });
  const result = await stats({ code: "abc1234" });
  assert.is(result.total, 0);
  assert.ok(result.series.every((point) => point.clicks === 0));
  assert.is(result.series.length, 8);
});

test("an unknown or deleted link is NOT_FOUND", async () => {
  const stats = createLinkStats({ now: () => NOW, defaultHost: HOST, store: storeWith(undefined) });
  const error = await refusal(() => stats({ code: "nope123" }));
  assert.is(error.code, "not_found");
});

test("a code no link can have is NOT_FOUND without asking the store", async () => {
  const store = storeWith(undefined);
  const error = await refusal(() =>
    createLinkStats({ now: () => NOW, defaultHost: HOST, store })({ code: "no/such code" }),
  );
  assert.is(error.code, "not_found");
  assert.is(store.calls, 0);
});

test('the default domain is asked as "" and answered by the public host, whichever way it was named', async () => {
  for (const domain of [undefined, "", HOST, "127.0.0.1", "127.0.0.1."]) {
    const store = storeWith({ hours: [], top: EMPTY_TOP, uniqueVisitors: 0 });
    const result = await createLinkStats({ now: () => NOW, defaultHost: HOST, store })({ code: "abc1234", domain });
    assert.equal(store.asked, [["", "abc1234"]], String(domain));
    assert.is(result.domain, HOST);
  }
});

test("another domain is asked and answered by its name as links store it: lowercase, punycode", async () => {
  for (const [domain, stored] of [
    ["go.example.com", "go.example.com"],
    ["Go.Example.COM.", "go.example.com"],
    ["bücher.example", "xn--bcher-kva.example"],
  ]) {
    const store = storeWith({ hours: [], top: EMPTY_TOP, uniqueVisitors: 0 });
    const result = await createLinkStats({ now: () => NOW, defaultHost: HOST, store })({ code: "abc1234", domain });
    assert.equal(store.asked, [[stored, "abc1234"]]);
    assert.is(result.domain, stored);
  }
});

test("a domain holding no such link is NOT_FOUND, as an unknown code is, and says which domain", async () => {
  const stats = createLinkStats({ now: () => NOW, defaultHost: HOST, store: storeWith(undefined) });
  const error = await refusal(() => stats({ code: "abc1234", domain: "nobody.example" }));
  assert.is(error.code, "not_found");
  assert.match(error.message, /"abc1234" on domain "nobody.example"/);
});

test("a malformed domain is INVALID_ARGUMENT naming domain, and the store is not asked", async () => {
  for (const domain of [
    "a".repeat(254),
    "go.example.com/abc",
    "go example.com",
    "go.example.com\t",
    "go.example.com\n",
    "go\u0000example.com",
    "go\u007fexample.com",
    "go\u0085example.com",
    "go\u00a0example.com",
  ]) {
    const store = storeWith(undefined);
    const error = await refusal(() =>
      createLinkStats({ now: () => NOW, defaultHost: HOST, store })({ code: "abc1234", domain }),
    );
    assert.equal([error.code, error.field], ["invalid_argument", "domain"], JSON.stringify(domain));
    assert.is(store.calls, 0);
  }
});

test("an empty code is INVALID_ARGUMENT naming code", async () => {
  const error = await refusal(() => createLinkStats({ defaultHost: HOST, store: storeWith(undefined) })({ code: "" }));
  assert.equal([error.code, error.field], ["invalid_argument", "code"]);
});

test.run();
