import type { CreateLinkInput } from "@kurt/sdk";
import { sameUrl } from "../import-outcome.js";
import type { BatchItemResult, ExistingLink, ImportPort } from "../import-runner.js";

// An in-memory Kurt behind the import's port, for the runner's and the
// command's unit tests: codes unique per domain, ALREADY_EXISTS when taken,
// generated codes, and a record of the calls (batch sizes, most in flight).

export interface FakeKurt {
  readonly port: ImportPort;
  /** domain ("" for the default) → code → URL. */
  readonly links: Map<string, Map<string, string>>;
  readonly batchSizes: number[];
  readonly getLinkCalls: string[];
  readonly findCalls: string[];
  /** The most createLinks calls that were in flight at once. */
  maxInFlight: number;
}

export function fakeKurt(
  options: {
    /** An error answer for an item Kurt would refuse (e.g. {code: 3, message}). */
    refuse?: (input: CreateLinkInput) => { code: number; message: string } | undefined;
    /** Called before a batch is answered; may throw (e.g. RetryLater). */
    beforeBatch?: (call: number) => void;
    /** Milliseconds each createLinks call takes. */
    delayMs?: number;
  } = {},
): FakeKurt {
  const links = new Map<string, Map<string, string>>();
  const inDomain = (domain: string | undefined) => {
    const key = domain ?? "";
    let codes = links.get(key);
    if (codes === undefined) {
      codes = new Map();
      links.set(key, codes);
    }
    return codes;
  };
  let generated = 0;
  let inFlight = 0;
  let calls = 0;
  const fake: FakeKurt = {
    links,
    batchSizes: [],
    getLinkCalls: [],
    findCalls: [],
    maxInFlight: 0,
    port: {
      async createLinks(inputs) {
        calls += 1;
        inFlight += 1;
        fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
          options.beforeBatch?.(calls);
          fake.batchSizes.push(inputs.length);
          return inputs.map((input): BatchItemResult => {
            const refused = options.refuse?.(input);
            if (refused !== undefined) return { error: refused };
            const codes = inDomain(input.domain);
            const code = input.code ?? `gen${String(++generated).padStart(4, "0")}`;
            if (codes.has(code)) return { error: { code: 6, message: `"${code}" is already taken` } };
            codes.set(code, input.url);
            return { link: { code, url: input.url } };
          });
        } finally {
          inFlight -= 1;
        }
      },
      async getLink(code, domain): Promise<ExistingLink | undefined> {
        fake.getLinkCalls.push(code);
        const url = inDomain(domain).get(code);
        return url === undefined ? undefined : { code, url };
      },
      async findLinkByUrl(url, domain) {
        fake.findCalls.push(url);
        for (const [code, target] of inDomain(domain)) if (sameUrl(target, url)) return { code, url: target };
        return undefined;
      },
    },
  };
  return fake;
}
