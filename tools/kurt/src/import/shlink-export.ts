import { readCsvTable, requireColumn } from "./csv-table.js";
import { optionalCount, optionalInstant, optionalText, splitTags, tagList } from "./export-fields.js";
import { collectRows, importRow, type ParsedExport, RowProblem } from "./import-row.js";
import { isRecord, jsonItems, looksLikeJson, readJson } from "./json-export.js";

// Shlink: the CSV of shlink-web-client's "Export" button on the short URLs
// list (createdAt, domain, shortCode, shortUrl, longUrl, title, tags joined by
// "|", visits), or the JSON of the REST API's GET /rest/v3/short-urls, which
// also has meta.validSince, meta.validUntil and meta.maxVisits.
// docs/import.md lists the sources.

const WHAT = "shlink export";

export function parseShlinkExport(text: string): ParsedExport {
  return looksLikeJson(text) ? parseApiJson(text) : parseWebClientCsv(text);
}

function parseWebClientCsv(text: string): ParsedExport {
  const table = readCsvTable(text, WHAT);
  requireColumn(table, WHAT, "short code", ["shortCode"]);
  requireColumn(table, WHAT, "long URL", ["longUrl"]);
  return collectRows(
    table.records,
    "line",
    (record) => record.line,
    (record) => ({ code: optionalText(record.field("shortCode")), url: optionalText(record.field("longUrl")) }),
    (record, line) => {
      const url = optionalText(record.field("longUrl"));
      if (url === undefined) throw new RowProblem("no longUrl");
      const code = optionalText(record.field("shortCode"));
      if (code === undefined) throw new RowProblem("no shortCode");
      return importRow({
        line,
        code,
        url,
        title: optionalText(record.field("title")),
        tags: splitTags(record.field("tags"), /\|/),
      });
    },
  );
}

/** Shlink counts visits against maxVisits from its own start: Kurt gets the visits that were left. */
function visitsLeft(item: Record<string, unknown>, meta: Record<string, unknown>): number | undefined {
  const max = optionalCount("meta.maxVisits", meta.maxVisits);
  if (max === undefined) return undefined;
  const summary = isRecord(item.visitsSummary) ? item.visitsSummary.total : undefined;
  const used = optionalCount("visitsSummary.total", summary ?? item.visitsCount) ?? 0;
  if (used >= max) throw new RowProblem(`out of visits: ${used} of its ${max} visits were used in Shlink`);
  return max - used;
}

function parseApiJson(text: string): ParsedExport {
  const items = jsonItems(
    readJson(text, WHAT),
    ["shortUrls", "data"],
    WHAT,
    'the answer of GET /rest/v3/short-urls: {"shortUrls": {"data": [...]}}',
  );
  return collectRows(
    items,
    "item",
    (_item, index) => index + 1,
    (item) => (isRecord(item) ? { code: optionalText(item.shortCode), url: optionalText(item.longUrl) } : {}),
    (item, line) => {
      if (!isRecord(item)) throw new RowProblem("not a short URL object");
      const url = optionalText(item.longUrl);
      if (url === undefined) throw new RowProblem("no longUrl");
      const code = optionalText(item.shortCode);
      if (code === undefined) throw new RowProblem("no shortCode");
      const meta = isRecord(item.meta) ? item.meta : {};
      return importRow({
        line,
        code,
        url,
        title: optionalText(item.title),
        tags: tagList(item.tags),
        expiresAt: optionalInstant("meta.validUntil", meta.validUntil),
        validSince: optionalInstant("meta.validSince", meta.validSince),
        maxVisits: visitsLeft(item, meta),
        forwardQuery: typeof item.forwardQuery === "boolean" ? item.forwardQuery : undefined,
      });
    },
  );
}
