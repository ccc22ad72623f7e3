import type { CreateLinkInput } from "@kurt/sdk";
import { type RowOutcome, sameUrl } from "./import-outcome.js";
import type { ImportPlan, PlannedLink } from "./import-plan.js";
import { runLimited } from "./run-limited.js";

/** A link as the import needs to see it. */
export interface ExistingLink {
  readonly code: string;
  readonly url: string;
}

/** One item's answer of a batch create: the link, or the gRPC status code and message. */
export interface BatchItemResult {
  readonly link?: ExistingLink | undefined;
  readonly error?: { readonly code: number; readonly message: string } | undefined;
}

/** What the import asks of Kurt (the command wires it to the SDK; tests to a fake). */
export interface ImportPort {
  /** Up to 1,000 creates, one result per input, in order. */
  createLinks(inputs: readonly CreateLinkInput[]): Promise<readonly BatchItemResult[]>;
  /** The link under `code`, or undefined when there is none. */
  getLink(code: string, domain: string | undefined): Promise<ExistingLink | undefined>;
  /** A link of `domain` leading to `url`, if any: how a row without a code is recognised on a rerun. */
  findLinkByUrl(url: string, domain: string | undefined): Promise<ExistingLink | undefined>;
}

/** Thrown by createLinks when Kurt refused the whole call before doing anything (rate limit): try again later. */
export class RetryLater extends Error {
  override readonly name = "RetryLater";
  constructor(
    readonly afterMs: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  readonly domain?: string;
  /** Links per call, at most 1,000 (the default). */
  readonly batchSize?: number;
  /** Calls in flight at once; default 4. */
  readonly concurrency?: number;
  /** Called as links are settled, with how many of the plan's links are. */
  readonly onProgress?: (settled: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How often a refused batch is tried again before its links count as failed; default 30. */
  readonly maxRetries?: number;
}

const ALREADY_EXISTS = 6;
const INVALID_ARGUMENT = 3;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends the plan's links in batches, several batches at once, and tells what
 * became of each: a code already taken is looked up, and counts as already
 * imported when it leads to the same URL (so a second run creates nothing),
 * else as a conflict. Rows without a code are first looked up by URL.
 */
export async function runImport(plan: ImportPlan, port: ImportPort, options: RunOptions = {}): Promise<RowOutcome[]> {
  const batchSize = Math.min(options.batchSize ?? 1_000, 1_000);
  const concurrency = options.concurrency ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxRetries = options.maxRetries ?? 30;
  const outcomes: RowOutcome[] = [...plan.outcomes];
  let settled = 0;
  const settle = (outcome: RowOutcome) => {
    outcomes.push(outcome);
    settled += 1;
    options.onProgress?.(settled);
  };
  const failAll = (links: readonly PlannedLink[], reason: string) => {
    for (const link of links) settle(failed(link, reason));
  };

  const toSend: PlannedLink[] = plan.links.filter((link) => link.input.code !== undefined);
  await runLimited(
    plan.links.filter((link) => link.input.code === undefined),
    concurrency * 4,
    async (link) => {
      try {
        const existing = await port.findLinkByUrl(link.input.url, options.domain);
        if (existing === undefined) toSend.push(link);
        else settle({ kind: "already-imported", line: link.line, code: existing.code, url: link.input.url });
      } catch (error) {
        settle(failed(link, `looking for a link to the same URL: ${message(error)}`));
      }
    },
  );

  const batches: PlannedLink[][] = [];
  for (let start = 0; start < toSend.length; start += batchSize) batches.push(toSend.slice(start, start + batchSize));
  await runLimited(batches, concurrency, async (batch) => {
    let results: readonly BatchItemResult[] | undefined;
    for (let attempt = 0; results === undefined; attempt++) {
      try {
        results = await port.createLinks(batch.map((link) => link.input));
      } catch (error) {
        if (error instanceof RetryLater && attempt < maxRetries) await sleep(error.afterMs);
        else return failAll(batch, message(error));
      }
    }
    const taken: PlannedLink[] = [];
    batch.forEach((link, i) => {
      const result = results[i];
      if (result?.link !== undefined) {
        settle({
          kind: "created",
          line: link.line,
          code: result.link.code,
          url: link.input.url,
          ...(link.originalCode === undefined ? {} : { originalCode: link.originalCode }),
        });
      } else if (result?.error?.code === ALREADY_EXISTS && link.input.code !== undefined) taken.push(link);
      else if (result?.error?.code === INVALID_ARGUMENT) {
        const code = link.input.code ?? link.originalCode;
        settle({
          kind: "invalid",
          line: link.line,
          ...(code === undefined ? {} : { code }),
          url: link.input.url,
          reason: result.error.message,
        });
      } else settle(failed(link, result?.error?.message ?? "Kurt's answer had no result for this link"));
    });
    await runLimited(taken, 16, async (link) => settle(await verifyTaken(port, link, options.domain)));
  });
  return outcomes.sort((a, b) => a.line - b.line);
}

function failed(link: PlannedLink, reason: string): RowOutcome {
  const code = link.input.code ?? link.originalCode;
  return { kind: "failed", line: link.line, ...(code === undefined ? {} : { code }), url: link.input.url, reason };
}

/** A code that is taken: already imported when it leads to the same URL, else a conflict. */
async function verifyTaken(port: ImportPort, link: PlannedLink, domain: string | undefined): Promise<RowOutcome> {
  const code = link.input.code as string;
  const { line } = link;
  const url = link.input.url;
  try {
    const existing = await port.getLink(code, domain);
    if (existing === undefined) return failed(link, "the code is taken, yet no link answers to it (deleted?)");
    return sameUrl(existing.url, url)
      ? { kind: "already-imported", line, code, url }
      : { kind: "conflict", line, code, url, existingUrl: existing.url };
  } catch (error) {
    return failed(link, `the code is taken; looking it up failed: ${message(error)}`);
  }
}
