import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EnrichedClick, RawClick } from "./click.js";
import { createClickEnricher } from "./click-enricher.js";
import { createClickIngest } from "./click-ingest.js";
import type { ClickPartitions, ClickStore } from "./click-ports.js";
import { createClickRetention } from "./click-retention.js";
import type { VisitorKeys } from "./visitor-hash.js";

const NOW = new Date("2030-03-10T12:00:00Z");

function click(overrides: Partial<RawClick> = {}): RawClick {
  return {
    eventId: crypto.randomUUID(),
    domain: "",
    code: "abc1234",
    occurredAt: new Date("2030-03-10T11:59:00Z"),
    referrer: "https://Example.com/page",
    userAgent: "agent",
    clientAddress: "203.0.113.7",
    redirectStatus: 302,
    servedBy: 1,
    requestId: "req-1",
    prefetch: false,
    ...overrides,
  };
}

/** An in-memory store with the same contract as the Postgres one: a known event id is not stored again. */
function memoryStore(): ClickStore & { rows: Map<string, EnrichedClick> } {
  const rows = new Map<string, EnrichedClick>();
  return {
    rows,
    async store(clicks) {
      let stored = 0;
      for (const c of clicks) {
        const key = `${c.eventId}@${c.occurredAt.getTime()}`;
        if (!rows.has(key)) {
          rows.set(key, c);
          stored += 1;
        }
      }
      return stored;
    },
  };
}

/** GeoIP as @kurt/geoip answers for these addresses, counting its lookups. */
const COUNTRIES: Readonly<Record<string, string>> = { "203.0.113.7": "DE", "2001:db8::7": "JP", "198.51.100.9": "us" };

function setup() {
  const store = memoryStore();
  const lookups: string[] = [];
  const ensured: string[][] = [];
  const partitions: ClickPartitions = {
    async ensure(days) {
      ensured.push([...days].sort());
    },
    async dropBefore() {
      return [];
    },
    forget() {},
  };
  const keysAsked: string[] = [];
  const visitorKeys: VisitorKeys = {
    async keyFor(day) {
      keysAsked.push(day);
      return Buffer.alloc(32, day.charCodeAt(9));
    },
    async deleteBefore() {
      return 0;
    },
  };
  const ingest = createClickIngest({
    enrich: createClickEnricher({
      classifier: { classify: (ua) => ({ browser: ua, os: "os", device: "desktop", bot: ua.includes("bot") }) },
      visitorKeys,
      countryOf: (address) => {
        lookups.push(address);
        return COUNTRIES[address] ?? "";
      },
    }),
    store,
    partitions,
    retention: createClickRetention(90),
    now: () => NOW,
  });
  return { ingest, store, ensured, keysAsked, lookups };
}

test("clicks are enriched: referrer host, classification, and a visitor hash instead of the address", async () => {
  const { ingest, store } = setup();
  const result = await ingest([click({ userAgent: "googlebot" })]);
  assert.is(result.stored, 1);
  const [row] = [...store.rows.values()];
  assert.is(row?.referrerHost, "example.com");
  assert.is(row?.bot, true);
  assert.is(row?.visitorHash.length, 16);
  assert.not.ok(JSON.stringify(row).includes("203.0.113.7"));
});

test("each click gets the country of its client address, and only the country is kept", async () => {
  const { ingest, store } = setup();
  await ingest([
    click({ requestId: "de", clientAddress: "203.0.113.7" }),
    click({ requestId: "jp", clientAddress: "2001:db8::7" }),
  ]);
  const rows = [...store.rows.values()].sort((a, b) => a.requestId.localeCompare(b.requestId));
  assert.equal(
    rows.map((row) => [row.requestId, row.country]),
    [
      ["de", "DE"],
      ["jp", "JP"],
    ],
  );
  for (const row of rows) {
    assert.not.ok(JSON.stringify(row).includes("203.0.113.7"));
    assert.not.ok(JSON.stringify(row).includes("2001:db8::7"));
    assert.not.ok("clientAddress" in row);
  }
});

test('an address of no known country, or none at all, is counted as "unknown", like any dimension nobody could tell', async () => {
  const { ingest, store, lookups } = setup();
  await ingest([
    click({ clientAddress: "10.0.0.1" }),
    click({ clientAddress: "" }),
    click({ clientAddress: "198.51.100.9" }), // not an upper-case alpha-2 code: not trusted as one
  ]);
  assert.equal(
    [...store.rows.values()].map((row) => row.country),
    ["unknown", "unknown", "unknown"],
  );
  assert.equal(lookups.sort(), ["10.0.0.1", "198.51.100.9"], "an empty address is not looked up");
});

test("a batch delivered twice is stored once; the second time everything is a duplicate", async () => {
  const { ingest, store } = setup();
  const batch = [click(), click(), click()];
  assert.equal(await ingest(batch), { stored: 3, duplicates: 0, outOfWindow: 0, invalid: [] });
  assert.equal(await ingest(batch), { stored: 0, duplicates: 3, outOfWindow: 0, invalid: [] });
  assert.is(store.rows.size, 3);
});

test("the same event twice in one batch counts once", async () => {
  const { ingest } = setup();
  const one = click();
  assert.equal(await ingest([one, { ...one }]), { stored: 1, duplicates: 1, outOfWindow: 0, invalid: [] });
});

test("clicks without event id or with a code no link can have are reported, not stored", async () => {
  const { ingest, store } = setup();
  const result = await ingest([click({ eventId: "" }), click({ code: "" }), click({ code: "a b" }), click()]);
  assert.is(result.stored, 1);
  assert.equal(
    result.invalid.map((entry) => entry.reason),
    ["event_id is empty", "code is not a link code", "code is not a link code"],
  );
  assert.is(store.rows.size, 1);
});

test("each click keeps its link's domain, and a domain no link can have is reported, not stored", async () => {
  const { ingest, store } = setup();
  const result = await ingest([
    click({ domain: "go.example.com" }),
    click(),
    click({ domain: "a/b" }),
    click({ domain: "go example.com" }),
    click({ domain: `${"a".repeat(250)}.com` }),
  ]);
  assert.is(result.stored, 2);
  assert.equal(
    result.invalid.map((entry) => entry.reason),
    ["domain is not a domain name", "domain is not a domain name", "domain is not a domain name"],
  );
  assert.equal([...store.rows.values()].map((row) => row.domain).sort(), ["", "go.example.com"]);
});

test("clicks older than the retention or from the far future are skipped", async () => {
  const { ingest } = setup();
  const result = await ingest([
    click({ occurredAt: new Date("2029-01-01T00:00:00Z") }),
    click({ occurredAt: new Date("2031-01-01T00:00:00Z") }),
  ]);
  assert.equal([result.stored, result.outOfWindow], [0, 2]);
});

test("partitions and visitor keys are those of each click's own day", async () => {
  const { ingest, ensured, keysAsked, store } = setup();
  const lateClick = click({ occurredAt: new Date("2030-03-08T23:00:00Z") });
  const todayClick = click();
  await ingest([lateClick, todayClick]);
  assert.equal(ensured, [["2030-03-08", "2030-03-10"]]);
  assert.equal(keysAsked.sort(), ["2030-03-08", "2030-03-10"]);
  const hashes = [...store.rows.values()].map((row) => row.visitorHash.toString("hex"));
  assert.not.equal(hashes[0], hashes[1], "the same visitor on two days has two unrelated hashes");
});

test("NUL characters, which Postgres text cannot hold, are removed from what is stored", async () => {
  const { ingest, store } = setup();
  await ingest([click({ userAgent: "a\u0000b", requestId: "r\u0000" })]);
  const [row] = [...store.rows.values()];
  assert.equal([row?.userAgent, row?.browser, row?.requestId], ["ab", "ab", "r"]);
});

test("an event id with control characters is reported, not stored", async () => {
  const { ingest } = setup();
  const result = await ingest([click({ eventId: "a\u0000b" })]);
  assert.equal([result.stored, result.invalid[0]?.reason], [0, "event_id contains control characters"]);
});

test("an empty batch touches nothing", async () => {
  const { ingest, ensured } = setup();
  assert.equal(await ingest([]), { stored: 0, duplicates: 0, outOfWindow: 0, invalid: [] });
  assert.is(ensured.length, 0);
});

test.run();
