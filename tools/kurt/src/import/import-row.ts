/**
 * What every export parser answers: the links it found, in Kurt's terms, and
 * the rows it could not read. A parser never talks to Kurt.
 */

/** One link of an export, as Kurt can take it. */
export interface ImportRow {
  /** Where it is in the file: the CSV line the record starts on, or the JSON item's position (from 1). */
  readonly line: number;
  /** The code the link had in the other tool, exactly as exported (it may not fit Kurt's rules). */
  readonly code?: string;
  readonly url: string;
  readonly title?: string;
  readonly tags: readonly string[];
  readonly expiresAt?: Date;
  readonly validSince?: Date;
  /** The visits the link has left (Shlink: its maxVisits less the visits it already counted). */
  readonly maxVisits?: number;
  readonly forwardQuery?: boolean;
}

/** A row the parser could not turn into a link, and why. */
export interface RowError {
  readonly line: number;
  readonly code?: string;
  readonly url?: string;
  readonly reason: string;
}

export interface ParsedExport {
  readonly rows: readonly ImportRow[];
  readonly errors: readonly RowError[];
  /** How `line` counts: CSV lines, or the items of a JSON list. */
  readonly unit: "line" | "item";
}

/** The file as a whole is not an export of that format (missing columns, not JSON, …): nothing is sent. */
export class ExportFormatError extends Error {
  override readonly name = "ExportFormatError";
}

/** A field that cannot be read; the parser turns it into a RowError for its row. */
export class RowProblem extends Error {
  override readonly name = "RowProblem";
}

/**
 * Builds one row per item; an item whose `build` throws a RowProblem becomes
 * a RowError carrying what `describe` can still tell of it (code, URL).
 */
export function collectRows<T>(
  items: readonly T[],
  unit: ParsedExport["unit"],
  lineOf: (item: T, index: number) => number,
  describe: (item: T) => { code?: string | undefined; url?: string | undefined },
  build: (item: T, line: number) => ImportRow | RowProblem,
): ParsedExport {
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  items.forEach((item, index) => {
    const line = lineOf(item, index);
    let row: ImportRow | RowProblem;
    try {
      row = build(item, line);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      row = error;
    }
    if (row instanceof RowProblem) {
      const { code, url } = describe(item);
      errors.push({
        line,
        ...(code === undefined ? {} : { code }),
        ...(url === undefined ? {} : { url }),
        reason: row.message,
      });
    } else rows.push(row);
  });
  return { rows, errors, unit };
}

/** An ImportRow without the keys whose value is undefined (so rows compare by what they hold). */
export function importRow(fields: {
  line: number;
  code?: string | undefined;
  url: string;
  title?: string | undefined;
  tags: readonly string[];
  expiresAt?: Date | undefined;
  validSince?: Date | undefined;
  maxVisits?: number | undefined;
  forwardQuery?: boolean | undefined;
}): ImportRow {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as unknown as ImportRow;
}
