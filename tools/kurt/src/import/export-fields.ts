import { RowProblem } from "./import-row.js";

/**
 * The code of a short URL: its last path segment, percent-decoded
 * (`https://bit.ly/3xYz9` → `3xYz9`, `bit.ly/über` → `über`). A value without
 * a slash is taken as the code itself.
 */
export function codeOfShortUrl(shortUrl: string): string | undefined {
  const path = shortUrl
    .trim()
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "");
  const segment = path.slice(path.lastIndexOf("/") + 1);
  if (segment === "" || /^[a-z][a-z0-9+.-]*:$/i.test(segment)) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** An optional text field: trimmed, undefined when empty. */
export function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === "" ? undefined : text;
}

/**
 * An optional instant: ISO 8601 with a zone, or `YYYY-MM-DD hh:mm:ss` without
 * one, read as UTC (how Kutt on SQLite and YOURLS write their timestamps).
 */
export function optionalInstant(field: string, value: unknown): Date | undefined {
  const text = optionalText(value);
  if (text === undefined) return undefined;
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(text);
  const iso = local === null ? text : `${local[1]}T${local[2]}Z`;
  const date = /^\d{4}-\d{2}-\d{2}/.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new RowProblem(`${field}: ${JSON.stringify(text)} is not an ISO 8601 date`);
  return date;
}

/** An optional whole number ≥ 0. */
export function optionalCount(field: string, value: unknown): number | undefined {
  const text = optionalText(value);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new RowProblem(`${field}: ${JSON.stringify(text)} is not a whole number`);
  return Number(text);
}

/** Tags from one field: split on any of `separators`, trimmed, without empties or repeats. */
export function splitTags(value: unknown, separators: RegExp): string[] {
  const text = optionalText(value);
  if (text === undefined) return [];
  return [
    ...new Set(
      text
        .split(separators)
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ""),
    ),
  ];
}

/** Tags given as a JSON array of strings (Shlink, Bitly's API). */
export function tagList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((tag): tag is string => typeof tag === "string").map((tag) => tag.trim()))].filter(
    (tag) => tag !== "",
  );
}
