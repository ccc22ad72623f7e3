import { CsvError, parse } from "csv-parse/sync";
import { ExportFormatError } from "./import-row.js";

/** A CSV file with a header row: each record's fields by normalised column name, and the line it starts on. */
export interface CsvTable {
  /** The header as written. */
  readonly header: readonly string[];
  readonly records: readonly CsvRecord[];
}

export interface CsvRecord {
  readonly line: number;
  /** The field under the first column whose normalised name is one of `names`; undefined if there is none. */
  field(...names: string[]): string | undefined;
}

/** "Long URL", "long_url" and "longUrl" are one column: lower case, without spaces, `_` or `-`. */
export const normaliseColumn = (name: string): string => name.toLowerCase().replace(/[\s_-]+/g, "");

/** The delimiter the header line uses most: `,`, `;` (spreadsheets in many locales) or a tab. */
function detectDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((d) => [d, unquoted.split(d).length - 1] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly lines: number };
  readonly raw: string;
}

/**
 * Reads `text` as CSV with a header row (a byte-order mark is dropped). A
 * syntax error is the file's fault: ExportFormatError naming the line.
 * `positional` names the columns of a file that has no header row; it is used
 * when `hasHeader` says the first record is not one.
 */
export function readCsvTable(
  text: string,
  what: string,
  options: { positional?: readonly string[]; hasHeader?: (first: readonly string[]) => boolean } = {},
): CsvTable {
  const body = text.replace(/^\uFEFF/, "");
  let parsed: ParsedRecord[];
  try {
    parsed = parse(body, {
      delimiter: detectDelimiter(body),
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) throw new ExportFormatError(`${what}: not readable as CSV: ${error.message}`);
    throw error;
  }
  const first = parsed[0];
  if (first === undefined) throw new ExportFormatError(`${what}: the file is empty`);
  const headerless = options.positional !== undefined && options.hasHeader?.(first.record) === false;
  const header = headerless ? (options.positional as readonly string[]) : first.record.map((name) => name.trim());
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    const key = normaliseColumn(name);
    if (!index.has(key)) index.set(key, i);
  });
  const records = (headerless ? parsed : parsed.slice(1)).map(({ record, info, raw }) => {
    // info.lines is the line the record ends on; the raw text tells how many lines it spans.
    const spans =
      raw
        .replace(/^[\r\n]+/, "")
        .replace(/\r?\n$/, "")
        .split("\n").length - 1;
    return {
      line: info.lines - spans,
      field(...names: string[]) {
        for (const name of names) {
          const at = index.get(normaliseColumn(name));
          if (at !== undefined) return record[at];
        }
        return undefined;
      },
    };
  });
  return { header, records };
}

/** The first of `names` the table has, normalised; undefined when it has none of them. */
export function findColumn(table: CsvTable, names: readonly string[]): string | undefined {
  const present = new Set(table.header.map(normaliseColumn));
  return names.map(normaliseColumn).find((name) => present.has(name));
}

/** Throws ExportFormatError naming the missing column and the columns the file has. */
export function requireColumn(table: CsvTable, what: string, label: string, names: readonly string[]): void {
  if (findColumn(table, names) !== undefined) return;
  const found = table.header.length === 0 ? "none" : table.header.map((name) => JSON.stringify(name)).join(", ");
  throw new ExportFormatError(`${what}: no ${label} column (looked for ${names.join(" or ")}; found ${found})`);
}
