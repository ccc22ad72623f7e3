import { createHash } from "node:crypto";
import { invalidArgument } from "@kurt/platform/errors";
import { CONTROL_CHARACTER } from "./control-characters.js";
import { TAG_PATTERN } from "./link-fields.js";

export const MAX_QUERY_LENGTH = 200;

/** What a listing keeps (DESIGN.md §2): each set filter must hold. */
export interface LinkFilter {
  /** A stored domain ("" the default one); unset: every domain. */
  readonly domain?: string;
  /** Text the code, URL or title contains, in any case. */
  readonly query?: string;
  /** A tag the link carries. */
  readonly tag?: string;
}

/** The `query` of ListLinks: 1 to 200 characters, no control character. */
export function validateQuery(value: string): string {
  if (value === "") throw invalidArgument("query", "must not be empty (leave it out to list every link)");
  if (value.length > MAX_QUERY_LENGTH)
    throw invalidArgument("query", `at most ${MAX_QUERY_LENGTH} characters, got ${value.length}`);
  if (CONTROL_CHARACTER.test(value)) throw invalidArgument("query", "must not contain control characters");
  return value;
}

/** The `tag` of ListLinks: a tag as links carry them. */
export function validateTagFilter(value: string): string {
  if (!TAG_PATTERN.test(value))
    throw invalidArgument("tag", "not a tag: tags are 1 to 50 characters of A-Z, a-z, 0-9, _ . : and -");
  return value;
}

/**
 * The page-token kind of a listing: a token is good only for the filters it
 * was made with (a hash keeps long queries out of the token).
 */
export function filterKind(base: string, filter: LinkFilter): string {
  if (filter.domain === undefined && filter.query === undefined && filter.tag === undefined) return base;
  const digest = createHash("sha256")
    .update(JSON.stringify([filter.domain ?? null, filter.query ?? null, filter.tag ?? null]))
    .digest("base64url")
    .slice(0, 16);
  return `${base}#${digest}`;
}
