/** What became of one row of an export; a report lists one per row, by line. */
export type RowOutcome =
  /** Sent and created; `originalCode` when --rename-invalid gave it a generated code instead. */
  | { kind: "created"; line: number; code: string; url: string; originalCode?: string }
  /** Its code (or, for a row without one, its URL) already leads to the same URL: a rerun creates nothing. */
  | { kind: "already-imported"; line: number; code: string; url: string }
  /** Its code is taken by a link to another URL, in Kurt or by an earlier line of the same file (`firstLine`). */
  | { kind: "conflict"; line: number; code: string; url: string; existingUrl: string; firstLine?: number }
  /** Not sent (or refused as invalid by Kurt), and why. */
  | { kind: "invalid"; line: number; code?: string; url?: string; reason: string }
  /** The same link as an earlier line of the file: skipped. */
  | { kind: "duplicate"; line: number; code?: string; url: string; firstLine: number }
  /** Kurt could not be asked or answered an error that says nothing of the row: a rerun may succeed. */
  | { kind: "failed"; line: number; code?: string; url: string; reason: string }
  /** --dry-run: would be sent, under `code` or, without one, a generated code. */
  | { kind: "planned"; line: number; code?: string; url: string; originalCode?: string };

export type OutcomeKind = RowOutcome["kind"];

export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  "created",
  "already-imported",
  "conflict",
  "invalid",
  "duplicate",
  "failed",
  "planned",
];

/** URLs are the same link target when they are equal, or equal once parsed (host case, punycode, "/" path). */
export function sameUrl(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
