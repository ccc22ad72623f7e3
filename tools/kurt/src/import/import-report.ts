import type { OutcomeKind, RowOutcome } from "./import-outcome.js";

/** What `--report FILE` writes (and `--json` prints): the counts, then every row's outcome by line. */
export interface ImportReport {
  readonly from: string;
  readonly file: string;
  /** The domain the links went to; null for the default domain. */
  readonly domain: string | null;
  readonly dryRun: boolean;
  /** "line": `line` is the CSV line a row starts on; "item": the position in the JSON list, from 1. */
  readonly unit: "line" | "item";
  readonly counts: Readonly<Record<OutcomeKind, number>> & { readonly rows: number };
  readonly rows: readonly RowOutcome[];
}

export function buildReport(fields: Omit<ImportReport, "counts">): ImportReport {
  const counts: Record<OutcomeKind, number> = {
    created: 0,
    "already-imported": 0,
    conflict: 0,
    invalid: 0,
    duplicate: 0,
    failed: 0,
    planned: 0,
  };
  for (const row of fields.rows) counts[row.kind] += 1;
  return { ...fields, counts: { rows: fields.rows.length, ...counts } };
}

/** Rows that were not imported and want a look: the exit code is 3 when there are any. */
export const notImported = (report: ImportReport): number => report.counts.conflict + report.counts.invalid;

const SHOWN = 20;

function section<T extends RowOutcome>(
  title: string,
  rows: readonly T[],
  describe: (row: T) => string,
  unit: string,
): string[] {
  if (rows.length === 0) return [];
  const lines = rows.slice(0, SHOWN).map((row) => `  ${unit} ${String(row.line).padEnd(6)} ${describe(row)}`);
  if (rows.length > SHOWN) lines.push(`  … and ${rows.length - SHOWN} more (--report FILE lists every row)`);
  return ["", `${title}:`, ...lines];
}

const of = <K extends OutcomeKind>(report: ImportReport, kind: K) =>
  report.rows.filter((row): row is Extract<RowOutcome, { kind: K }> => row.kind === kind);

const codeOf = (code: string | undefined) => (code === undefined ? "(no code)" : JSON.stringify(code));

/** The summary for people: the counts, then the rows that need a look, with their lines and reasons. */
export function formatReport(report: ImportReport): string {
  const { counts, unit } = report;
  const where = report.domain === null ? "the default domain" : report.domain;
  const head = report.dryRun
    ? [
        `dry run of ${report.from} export ${report.file} for ${where}: nothing was sent`,
        `  would send        ${counts.planned}`,
      ]
    : [
        `import of ${report.from} export ${report.file} into ${where}`,
        `  created           ${counts.created}`,
        `  already imported  ${counts["already-imported"]}`,
        `  conflicts         ${counts.conflict}`,
      ];
  head.push(`  invalid           ${counts.invalid}`, `  duplicates        ${counts.duplicate}`);
  if (counts.failed > 0)
    head.push(`  failed            ${counts.failed}   (run the import again: it skips what is in)`);
  const renamed = [...of(report, "created"), ...of(report, "planned")].filter((row) => row.originalCode !== undefined);
  return [
    ...head,
    ...section(
      "conflicts (the code is taken by a link to another URL)",
      of(report, "conflict"),
      (row) =>
        `${codeOf(row.code)} ${row.url} — taken by ${row.firstLine === undefined ? "Kurt's link to" : `${unit} ${row.firstLine}:`} ${row.existingUrl}`,
      unit,
    ),
    ...section("invalid (not imported)", of(report, "invalid"), (row) => `${codeOf(row.code)} ${row.reason}`, unit),
    ...section(
      report.dryRun ? "renamed (would get a generated code)" : "renamed (their code did not fit Kurt)",
      renamed,
      (row) => `${codeOf(row.originalCode)} → ${row.code ?? "a generated code"}`,
      unit,
    ),
    ...section("duplicates (skipped)", of(report, "duplicate"), (row) => `same link as ${unit} ${row.firstLine}`, unit),
    ...section("failed", of(report, "failed"), (row) => `${codeOf(row.code)} ${row.reason}`, unit),
  ].join("\n");
}
