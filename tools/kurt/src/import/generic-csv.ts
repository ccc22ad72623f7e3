import { readCsvTable, requireColumn } from "./csv-table.js";
import { optionalCount, optionalInstant, optionalText, splitTags } from "./export-fields.js";
import { collectRows, importRow, type ParsedExport, RowProblem } from "./import-row.js";

// Any CSV with a header row: url (required), code, title, tags (separated by
// "|" or ";"), expiresAt, validSince, maxVisits. Column names ignore case,
// spaces, "_" and "-" (expires_at is expiresAt). Other columns are ignored.

const WHAT = "csv file";

export function parseGenericCsv(text: string): ParsedExport {
  const table = readCsvTable(text, WHAT);
  requireColumn(table, WHAT, "url", ["url"]);
  return collectRows(
    table.records,
    "line",
    (record) => record.line,
    (record) => ({ code: optionalText(record.field("code")), url: optionalText(record.field("url")) }),
    (record, line) => {
      const url = optionalText(record.field("url"));
      if (url === undefined) throw new RowProblem("no url");
      const maxVisits = optionalCount("maxVisits", record.field("maxVisits"));
      if (maxVisits === 0) throw new RowProblem("maxVisits: 0 leaves the link no visit");
      return importRow({
        line,
        code: optionalText(record.field("code")),
        url,
        title: optionalText(record.field("title")),
        tags: splitTags(record.field("tags"), /[|;]/),
        expiresAt: optionalInstant("expiresAt", record.field("expiresAt")),
        validSince: optionalInstant("validSince", record.field("validSince")),
        maxVisits,
      });
    },
  );
}
