import { type KurtClient, KurtError } from "@kurt/sdk";
import { sameUrl } from "./import-outcome.js";
import { type ImportPort, RetryLater } from "./import-runner.js";

/** A batch of 1,000 creates can take a while on a busy stack; the SDK's 5 s suits one link. */
const BATCH_DEADLINE_MS = 120_000;
/** Pages of links searched for a row without a code before it counts as new. */
const URL_SEARCH_PAGES = 10;

/** The longest `query` ListLinks takes. */
const MAX_QUERY_LENGTH = 200;

/** How Kurt stores a URL: its WHATWG href (punycode host, percent-encoded path). */
function storedForm(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

const inDomain = (domain: string | undefined) => (domain === undefined ? {} : { domain });

/** The rate limiter says when its budget refills ("retry in N ms"); a second otherwise. */
function retryAfterMs(text: string): number {
  const match = /retry in (\d+) ms/.exec(text);
  return match === null ? 1_000 : Math.max(Number(match[1]), 50);
}

/** The import's port on the TypeScript SDK: BatchCreateLinks, GetLink, ListLinks (and ListDomains once). */
export function createKurtImportPort(kurt: KurtClient): ImportPort {
  let defaultDomain: Promise<string> | undefined;
  const domainName = async (domain: string | undefined) => {
    if (domain !== undefined) return domain;
    defaultDomain ??= kurt.listDomains().then((answer) => {
      const found = answer.domains.find((d) => d.isDefault);
      if (found === undefined) throw new Error("Kurt named no default domain");
      return found.domain;
    });
    return defaultDomain;
  };

  return {
    async createLinks(inputs) {
      try {
        const answer = await kurt.batchCreateLinks(inputs, { deadlineMs: BATCH_DEADLINE_MS });
        return answer.results.map((result) => ({
          link: result.link === undefined ? undefined : { code: result.link.code, url: result.link.url },
          error: result.error,
        }));
      } catch (error) {
        // Refused before anything was written: the batch can simply be sent again.
        if (error instanceof KurtError && error.code === "resource_exhausted")
          throw new RetryLater(retryAfterMs(error.message), error.message);
        throw error;
      }
    },

    async getLink(code, domain) {
      try {
        const link = await kurt.getLink(code, inDomain(domain));
        return { code: link.code, url: link.url };
      } catch (error) {
        if (error instanceof KurtError && error.code === "not_found") return undefined;
        throw error;
      }
    },

    async findLinkByUrl(url, domain) {
      // The default domain is listed under its public name: a filter by it keeps the others' links out.
      const filter = { domain: await domainName(domain) };
      // Kurt stores the WHATWG-normalised href and matches `query` as a substring of at most 200 characters.
      const query = storedForm(url).slice(0, MAX_QUERY_LENGTH);
      let pageToken = "";
      for (let page = 0; page < URL_SEARCH_PAGES; page++) {
        const answer = await kurt.listLinks({ ...filter, query, pageSize: 100, pageToken });
        const hit = answer.links.find((link) => sameUrl(link.url, url));
        if (hit !== undefined) return { code: hit.code, url: hit.url };
        pageToken = answer.nextPageToken;
        if (pageToken === "") break;
      }
      return undefined;
    },
  };
}
