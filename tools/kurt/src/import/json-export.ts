import { ExportFormatError } from "./import-row.js";

/** True when the text is JSON rather than CSV: it starts with `{` or `[`. */
export const looksLikeJson = (text: string): boolean => /^\uFEFF?\s*[[{]/.test(text);

/** JSON.parse, with a syntax error turned into the file's fault. */
export function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ExportFormatError(`${what}: not valid JSON: ${(error as Error).message}`);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The list of items in a JSON export: the value itself when it is an array,
 * else the array found at `path` (e.g. ["shortUrls", "data"]). An array of
 * pages (objects holding the list at `path`, as `jq -s` makes of saved pages)
 * is flattened. Anything else is not this format.
 */
export function jsonItems(value: unknown, path: readonly string[], what: string, expected: string): unknown[] {
  const at = (page: unknown): unknown[] | undefined => {
    let node: unknown = page;
    for (const key of path) node = isRecord(node) ? node[key] : undefined;
    return Array.isArray(node) ? node : undefined;
  };
  if (Array.isArray(value)) {
    const pages = value.map(at);
    if (value.length > 0 && pages.every((page) => page !== undefined)) return pages.flat();
    return value;
  }
  const items = at(value);
  if (items === undefined) throw new ExportFormatError(`${what}: expected ${expected}`);
  return items;
}
