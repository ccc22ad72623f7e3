import { findColumn, readCsvTable, requireColumn } from "./csv-table.js";
import { optionalText } from "./export-fields.js";
import { collectRows, importRow, type ParsedExport, RowProblem } from "./import-row.js";

// YOURLS: its links table (yourls_url: keyword, url, title, timestamp, ip,
// clicks) saved as CSV, with or without the header row (phpMyAdmin and
// `mysql --batch` write it; phpMyAdmin's CSV leaves it out by default), or the
// CSV of the "Import Export" plugin (source, target, hits; source is
// "/keyword/"). YOURLS has no tags, expiry or visit limit. docs/import.md
// lists the sources.

const WHAT = "yourls export";
const TABLE_COLUMNS = ["keyword", "url", "title", "timestamp", "ip", "clicks"];

/** A first record that is data, not a header: six fields, the second an http(s) URL. */
const isDataRow = (fields: readonly string[]) =>
  fields.length === TABLE_COLUMNS.length && /^https?:\/\//i.test(fields[1]?.trim() ?? "");

export function parseYourlsExport(text: string): ParsedExport {
  const table = readCsvTable(text, WHAT, { positional: TABLE_COLUMNS, hasHeader: (first) => !isDataRow(first) });
  const plugin = findColumn(table, ["source"]) !== undefined && findColumn(table, ["keyword"]) === undefined;
  const keyword = plugin ? "source" : "keyword";
  const url = plugin ? "target" : "url";
  requireColumn(table, WHAT, "keyword", [keyword]);
  requireColumn(table, WHAT, "URL", [url]);
  return collectRows(
    table.records,
    "line",
    (record) => record.line,
    (record) => ({ code: optionalText(record.field(keyword)), url: optionalText(record.field(url)) }),
    (record, line) => {
      const target = optionalText(record.field(url));
      if (target === undefined) throw new RowProblem(`no ${url}`);
      // The plugin writes the keyword as a path, "/keyword/".
      const code = optionalText(record.field(keyword)?.replace(/^\/+|\/+$/g, ""));
      if (code === undefined) throw new RowProblem(`no ${keyword}`);
      return importRow({ line, code, url: target, title: optionalText(record.field("title")), tags: [] });
    },
  );
}
