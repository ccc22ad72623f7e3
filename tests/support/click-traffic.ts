import { request } from "./http-client.js";
import { topology } from "./stack.js";

/** A kind of visitor and what clicklog should make of its user agent. */
export interface Visitor {
  readonly userAgent: string;
  readonly browser: string;
  readonly os: string;
  readonly device: string;
  readonly bot: boolean;
}

export const VISITORS: readonly Visitor[] = [
  {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    browser: "Chrome",
    os: "Windows",
    device: "desktop",
    bot: false,
  },
  {
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    browser: "Firefox",
    os: "Windows",
    device: "desktop",
    bot: false,
  },
  {
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    browser: "Mobile Safari",
    os: "iOS",
    device: "mobile",
    bot: false,
  },
  {
    // A crawler names no browser or OS; it is counted apart as a bot.
    userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    browser: "unknown",
    os: "unknown",
    device: "bot",
    bot: true,
  },
];

/** A Referer header (or none) and the host stats report for it. */
export const REFERRERS: ReadonlyArray<{ readonly header: string | undefined; readonly host: string }> = [
  { header: "https://news.example.com/story?id=42", host: "news.example.com" },
  // Browsers never send a fragment (and Envoy drops a Referer that has one); a host in capitals is reported in lower case.
  { header: "https://Blog.Example.org/2025/kurt?utm_source=feed", host: "blog.example.org" },
  { header: undefined, host: "direct" },
];

/** The visitor and referrer of the n-th click: every combination comes round every 12 clicks. */
export function clickProfile(n: number) {
  return {
    visitor: VISITORS[n % VISITORS.length] as Visitor,
    referrer: REFERRERS[n % REFERRERS.length] as (typeof REFERRERS)[number],
  };
}

/**
 * One redirect of `code` straight to each resolver replica, as the gateway
 * would pass it on, with the profiles of clicks `first`, `first + 1`, …;
 * returns those indices (for expectedStats). A link's clicks share a Kafka
 * partition and each resolver sends its clicks in order, retries included,
 * so once the stats count every marker, no click a resolver sent before its
 * marker (nor a copy of one) is still on its way: a test that then sees no
 * duplicate has proved there is none, where a fixed wait only hopes so.
 */
export async function sendMarkerClicks(code: string, location: string, first: number): Promise<number[]> {
  const sent: number[] = [];
  for (const [i, port] of topology.services.resolver.httpPorts.entries()) {
    const n = first + i;
    const { visitor, referrer } = clickProfile(n);
    // Envoy sets the TCP peer's address; the suites reach it from the topology's host.
    const headers: Record<string, string> = {
      "user-agent": visitor.userAgent,
      "x-envoy-external-address": topology.host,
    };
    if (referrer.header !== undefined) headers.referer = referrer.header;
    const answer = await fetch(`http://${topology.host}:${port}/${code}`, {
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(5_000),
    });
    await answer.text();
    if (answer.status !== 302 || answer.headers.get("location") !== location)
      throw new Error(`marker click through resolver port ${port}: ${answer.status}, not a redirect to ${location}`);
    sent.push(n);
  }
  return sent;
}

export interface ClickTraffic {
  /** Stops sending, waits for the requests in flight, and says what was counted. */
  stop(): Promise<void>;
  /** Indices (clickProfile) of the redirects that answered as expected. */
  readonly redirected: readonly number[];
  readonly failures: readonly string[];
}

/**
 * `clients` loops sending `GET /{code}` through the gateway with the
 * visitors and referrers of clickProfile, until `count` requests were sent
 * or stop() is called. Each answer must be the link's redirect.
 */
export function startClickTraffic(
  code: string,
  location: string,
  { clients = 6, count = Number.POSITIVE_INFINITY, maxMs = 60_000 } = {},
): ClickTraffic & { readonly done: Promise<void> } {
  let next = 0;
  let running = true;
  const deadline = Date.now() + maxMs;
  const redirected: number[] = [];
  const failures: string[] = [];
  const loops = Array.from({ length: clients }, async () => {
    while (running && next < count && Date.now() < deadline) {
      const n = next++;
      const { visitor, referrer } = clickProfile(n);
      const headers: Record<string, string> = { "user-agent": visitor.userAgent };
      if (referrer.header !== undefined) headers.referer = referrer.header;
      try {
        const answer = await request("GET", `/${code}`, { headers, timeoutMs: 5_000 });
        if (answer.status === 302 && answer.headers.get("location") === location) redirected.push(n);
        else failures.push(`#${n}: ${answer.status} ${answer.text.slice(0, 200)}`);
      } catch (error) {
        failures.push(`#${n}: ${(error as Error).message}`);
      }
    }
  });
  const done = Promise.all(loops).then(() => {});
  return {
    done,
    redirected,
    failures,
    async stop() {
      running = false;
      await done;
    },
  };
}

/** What stats should show for these redirects: totals and every breakdown. */
export function expectedStats(redirected: readonly number[]) {
  const add = (into: Record<string, number>, key: string) => {
    into[key] = (into[key] ?? 0) + 1;
  };
  const browsers: Record<string, number> = {};
  const os: Record<string, number> = {};
  const devices: Record<string, number> = {};
  const referrers: Record<string, number> = {};
  let bots = 0;
  for (const n of redirected) {
    const { visitor, referrer } = clickProfile(n);
    add(browsers, visitor.browser);
    add(os, visitor.os);
    add(devices, visitor.device);
    add(referrers, referrer.host);
    if (visitor.bot) bots += 1;
  }
  return {
    total: redirected.length,
    humanTotal: redirected.length - bots,
    botTotal: bots,
    browsers,
    os,
    devices,
    referrers,
  };
}
