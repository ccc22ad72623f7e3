/**
 * Click events for the integration tests, standing in for the resolver's
 * producer: a known mix of browsers, bots, referrers, visitors and their
 * countries, so that a test can say exactly what the stats must show.
 */
import { ClickEvent, LookupLayer } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import type { Producer } from "kafkajs";
import type pg from "pg";

interface Agent {
  readonly userAgent: string;
  readonly browser: string;
  readonly os: string;
  readonly device: string;
  readonly bot: boolean;
}

export const AGENTS: readonly Agent[] = [
  {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    browser: "Chrome",
    os: "Windows",
    device: "desktop",
    bot: false,
  },
  {
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    browser: "Mobile Safari",
    os: "iOS",
    device: "mobile",
    bot: false,
  },
  {
    userAgent:
      "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
    browser: "Mobile Safari",
    os: "iOS",
    device: "tablet",
    bot: false,
  },
  {
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
    browser: "Firefox",
    os: "Mac OS",
    device: "desktop",
    bot: false,
  },
  {
    userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    browser: "unknown",
    os: "unknown",
    device: "bot",
    bot: true,
  },
];

/**
 * Where visitors come from: networks whose first 37 addresses the shipped
 * DB-IP data (@kurt/geoip, packages/geoip/src/country-lookup.test.ts) places
 * in one country, and a documentation range it places nowhere.
 */
export const NETWORKS: readonly { readonly prefix: string; readonly country: string }[] = [
  { prefix: "194.25.2.", country: "DE" },
  { prefix: "8.8.8.", country: "US" },
  { prefix: "212.58.244.", country: "GB" },
  { prefix: "198.51.100.", country: "unknown" },
];

export const REFERRERS: readonly { readonly header: string; readonly host: string }[] = [
  { header: "", host: "direct" },
  { header: "https://News.Example.com/story?id=1", host: "news.example.com" },
  { header: "https://t.co/abc", host: "t.co" },
];

/**
 * `count` clicks on `code` of `domain` ("" is the default domain), spread over
 * the hours before `now`, the same every time for the same arguments.
 */
export function clickEvents(code: string, count: number, now: Date, spreadHours = 30, domain = ""): ClickEvent[] {
  return Array.from({ length: count }, (_, i) =>
    ClickEvent.fromPartial({
      eventId: crypto.randomUUID(),
      domain,
      code,
      occurredAt: new Date(now.getTime() - (i % spreadHours) * 3_600_000 - (i % 7) * 1_000),
      referrer: (REFERRERS[i % REFERRERS.length] as (typeof REFERRERS)[number]).header,
      userAgent: (AGENTS[i % AGENTS.length] as Agent).userAgent,
      clientAddress: `${(NETWORKS[i % NETWORKS.length] as (typeof NETWORKS)[number]).prefix}${i % 37}`,
      redirectStatus: 302,
      servedBy: LookupLayer.LOOKUP_LAYER_MEMORY,
      requestId: `req-${i}`,
    }),
  );
}

export interface ExpectedStats {
  readonly total: number;
  readonly humanTotal: number;
  readonly botTotal: number;
  readonly uniqueVisitors: number;
  readonly referrers: Map<string, number>;
  readonly browsers: Map<string, number>;
  readonly os: Map<string, number>;
  readonly devices: Map<string, number>;
  readonly countries: Map<string, number>;
}

/** What the stats of exactly these events must be (all inside the range asked). */
export function expectedStats(events: readonly ClickEvent[]): ExpectedStats {
  const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const referrers = new Map<string, number>();
  const browsers = new Map<string, number>();
  const os = new Map<string, number>();
  const devices = new Map<string, number>();
  const countries = new Map<string, number>();
  const visitors = new Set<string>();
  let bots = 0;
  for (const event of events) {
    const agent = AGENTS.find((a) => a.userAgent === event.userAgent) as Agent;
    tally(referrers, (REFERRERS.find((r) => r.header === event.referrer) as (typeof REFERRERS)[number]).host);
    tally(browsers, agent.browser);
    tally(os, agent.os);
    tally(devices, agent.device);
    tally(
      countries,
      (NETWORKS.find((n) => event.clientAddress.startsWith(n.prefix)) as (typeof NETWORKS)[number]).country,
    );
    if (agent.bot) bots += 1;
    visitors.add(`${event.occurredAt?.toISOString().slice(0, 10)} ${event.clientAddress} ${event.userAgent}`);
  }
  return {
    total: events.length,
    humanTotal: events.length - bots,
    botTotal: bots,
    uniqueVisitors: visitors.size,
    referrers,
    browsers,
    os,
    devices,
    countries,
  };
}

export async function produceClicks(
  producer: Producer,
  topic: string,
  events: readonly ClickEvent[],
  chunk = 100,
): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    await producer.send({
      topic,
      messages: events.slice(i, i + chunk).map((event) => ({
        // As the resolver keys them: one link's clicks share a partition.
        key: linkKey(event.domain, event.code),
        value: Buffer.from(ClickEvent.encode(event).finish()),
      })),
    });
  }
}

/** A live link row of `domain` ("" is the default domain), so that stats know the code (the shortener is not involved in these tests). */
export async function insertLink(pool: pg.Pool, code: string, domain = ""): Promise<void> {
  await pool.query(
    "insert into links (domain, code, url) values ($1, $2, 'https://example.com/') on conflict do nothing",
    [domain, code],
  );
}

export function uniqueCode(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with what it last saw. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
