import { type EnrichedClick, type RawClick, UNKNOWN } from "./click.js";
import { referrerHost } from "./referrer-host.js";
import type { UserAgentClassifier } from "./user-agent-classifier.js";
import { utcDay } from "./utc-time.js";
import { type VisitorKeys, visitorHash } from "./visitor-hash.js";

/** Client-controlled text is bounded before it becomes a rollup key or a stored column. */
const MAX_DIMENSION_LENGTH = 100;
const MAX_USER_AGENT_LENGTH = 512;
const MAX_REQUEST_ID_LENGTH = 128;

// Postgres text cannot hold NUL; a client could still send one.
function bounded(value: string, max: number): string {
  const clean = value.replaceAll("\u0000", "");
  return clean.length <= max ? clean : clean.slice(0, max);
}

function dimension(value: string): string {
  const trimmed = bounded(value, MAX_DIMENSION_LENGTH).trim();
  return trimmed === "" ? UNKNOWN : trimmed;
}

export type ClickEnricher = (clicks: readonly RawClick[]) => Promise<EnrichedClick[]>;

/** The ISO 3166-1 alpha-2 country of an IP address, "" when unknown (@kurt/geoip's lookup, opened by main.ts). */
export type CountryOf = (address: string) => string;

const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * Adds what stats group by (browser, OS, device, bot, referrer host,
 * country) and replaces the client address with the day's visitor hash and
 * its country: the address itself goes no further. The hash key is the key
 * of the click's own day, not of the processing day, so a click delivered
 * again later gets the same hash. The country is what the GeoIP data this
 * process loaded says (a redelivered click is not stored again, so the
 * first storing's country stays).
 */
export function createClickEnricher(deps: {
  readonly classifier: UserAgentClassifier;
  readonly visitorKeys: VisitorKeys;
  readonly countryOf: CountryOf;
}): ClickEnricher {
  const countryOf = (address: string): string => {
    const country = address === "" ? "" : deps.countryOf(address);
    return COUNTRY_CODE.test(country) ? country : UNKNOWN;
  };
  return async (clicks) => {
    const keys = new Map<string, Buffer>();
    for (const day of new Set(clicks.map((click) => utcDay(click.occurredAt)))) {
      keys.set(day, await deps.visitorKeys.keyFor(day));
    }
    return clicks.map((click): EnrichedClick => {
      const agent = deps.classifier.classify(click.userAgent);
      const key = keys.get(utcDay(click.occurredAt)) as Buffer;
      return {
        eventId: click.eventId,
        domain: click.domain,
        code: click.code,
        occurredAt: click.occurredAt,
        referrerHost: dimension(referrerHost(click.referrer)),
        country: countryOf(click.clientAddress),
        browser: dimension(agent.browser),
        os: dimension(agent.os),
        device: dimension(agent.device),
        bot: agent.bot,
        visitorHash: visitorHash(key, click.clientAddress, click.userAgent),
        userAgent: bounded(click.userAgent, MAX_USER_AGENT_LENGTH),
        redirectStatus: click.redirectStatus,
        servedBy: click.servedBy,
        requestId: bounded(click.requestId, MAX_REQUEST_ID_LENGTH),
        prefetch: click.prefetch,
      };
    });
  };
}
