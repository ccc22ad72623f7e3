import type { CreateLinkInput } from "@kurt/sdk";
import { type RowOutcome, sameUrl } from "./import-outcome.js";
import type { ImportRow, ParsedExport } from "./import-row.js";

/** Kurt's custom codes (DESIGN.md §2). */
export const KURT_CODE = /^[A-Za-z0-9_-]{3,64}$/;

/** A row that will be sent: `input.code` unset means Kurt generates the code. */
export interface PlannedLink {
  readonly line: number;
  readonly input: CreateLinkInput;
  /** The export's code, when it did not fit Kurt and --rename-invalid sends the link without it. */
  readonly originalCode?: string;
}

export interface ImportPlan {
  readonly links: readonly PlannedLink[];
  /** The rows decided without asking Kurt: unreadable, invalid, duplicates, conflicts inside the file. */
  readonly outcomes: readonly RowOutcome[];
}

export interface PlanOptions {
  readonly domain?: string;
  readonly renameInvalid: boolean;
  readonly now: Date;
}

function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `url: ${JSON.stringify(url)} is not an absolute http or https URL`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    return `url: ${JSON.stringify(url)} is not an absolute http or https URL`;
  return undefined;
}

function createInput(row: ImportRow, code: string | undefined, domain: string | undefined): CreateLinkInput {
  return {
    url: row.url,
    ...(code === undefined ? {} : { code }),
    ...(domain === undefined ? {} : { domain }),
    ...(row.title === undefined ? {} : { title: row.title }),
    tags: row.tags,
    ...(row.expiresAt === undefined ? {} : { expiresAt: row.expiresAt }),
    ...(row.validSince === undefined ? {} : { validSince: row.validSince }),
    ...(row.maxVisits === undefined ? {} : { maxVisits: row.maxVisits }),
    ...(row.forwardQuery === undefined ? {} : { forwardQuery: row.forwardQuery }),
  };
}

/**
 * Decides, without Kurt, what to send: rows Kurt would refuse are reported
 * (an invalid code, unless --rename-invalid; an expiry already past; a URL
 * that is not http(s)), and a code or (for rows without a code) a URL that an
 * earlier line already has is a duplicate, or a conflict when the URLs differ.
 */
export function planImport(parsed: ParsedExport, options: PlanOptions): ImportPlan {
  const links: PlannedLink[] = [];
  const outcomes: RowOutcome[] = parsed.errors.map((error) => ({ kind: "invalid", ...error }));
  const firstByKey = new Map<string, { line: number; url: string }>();
  for (const row of parsed.rows) {
    const { line, url } = row;
    const original = row.code === undefined ? {} : { code: row.code };
    const problem = urlProblem(url);
    if (problem !== undefined) {
      outcomes.push({ kind: "invalid", line, ...original, url, reason: problem });
      continue;
    }
    if (row.expiresAt !== undefined && row.expiresAt.getTime() <= options.now.getTime()) {
      const reason = `expired on ${row.expiresAt.toISOString()} (Kurt takes only an expiry in the future)`;
      outcomes.push({ kind: "invalid", line, ...original, url, reason });
      continue;
    }
    let code = row.code;
    let originalCode: string | undefined;
    if (code !== undefined && !KURT_CODE.test(code)) {
      if (!options.renameInvalid) {
        const reason = `code ${JSON.stringify(code)} does not fit Kurt's codes ([A-Za-z0-9_-], 3 to 64 characters); --rename-invalid imports it under a generated code`;
        outcomes.push({ kind: "invalid", line, code, url, reason });
        continue;
      }
      originalCode = code;
      code = undefined;
    }
    // Without a code, only the URL can tell a repeated row.
    const key = code === undefined ? `url ${new URL(url).href}` : `code ${code}`;
    const first = firstByKey.get(key);
    if (first !== undefined) {
      if (sameUrl(first.url, url)) outcomes.push({ kind: "duplicate", line, ...original, url, firstLine: first.line });
      else
        outcomes.push({
          kind: "conflict",
          line,
          code: code as string,
          url,
          existingUrl: first.url,
          firstLine: first.line,
        });
      continue;
    }
    firstByKey.set(key, { line, url });
    links.push({
      line,
      input: createInput(row, code, options.domain),
      ...(originalCode === undefined ? {} : { originalCode }),
    });
  }
  return { links, outcomes };
}
