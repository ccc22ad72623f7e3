import { readCsvTable, requireColumn } from "./csv-table.js";
import { codeOfShortUrl, optionalText, splitTags, tagList } from "./export-fields.js";
import { collectRows, importRow, type ParsedExport, RowProblem } from "./import-row.js";
import { isRecord, jsonItems, looksLikeJson, readJson } from "./json-export.js";

// Bitly: the CSV of Links → Export (its column names changed over the years:
// both generations are read), or the JSON of the API's
// GET /v4/groups/{group_guid}/bitlinks. Bitly exports no expiry or visit limit.
// docs/import.md lists the sources.

const WHAT = "bitly export";
const SHORT = ["Link", "Bitlink", "Short link", "Short URL"];
const CUSTOM = ["Custom Link", "Custom Bitlink", "Custom back-half"];
const LONG = ["Destination URL", "Long URL", "long_url", "Destination"];

export function parseBitlyExport(text: string): ParsedExport {
  return looksLikeJson(text) ? parseApiJson(text) : parseCsv(text);
}

/** A custom back-half is the link people were given, so it wins over the generated one. */
function code(short: string | undefined, custom: string | undefined): string {
  const chosen = optionalText(custom) ?? optionalText(short);
  const found = chosen === undefined ? undefined : codeOfShortUrl(chosen);
  if (found === undefined) throw new RowProblem("no short link to take the code from");
  return found;
}

function parseCsv(text: string): ParsedExport {
  const table = readCsvTable(text, WHAT);
  requireColumn(table, WHAT, "long URL", LONG);
  requireColumn(table, WHAT, "short link", [...SHORT, ...CUSTOM]);
  return collectRows(
    table.records,
    "line",
    (record) => record.line,
    (record) => ({
      code: codeOfShortUrl(record.field(...CUSTOM) || record.field(...SHORT) || ""),
      url: optionalText(record.field(...LONG)),
    }),
    (record, line) => {
      const url = optionalText(record.field(...LONG));
      if (url === undefined) throw new RowProblem("no long URL");
      return importRow({
        line,
        code: code(record.field(...SHORT), record.field(...CUSTOM)),
        url,
        title: optionalText(record.field("Title")),
        // The dashboard writes several tags into one field; which separator it uses has varied.
        tags: splitTags(record.field("Tags"), /[,;|]/),
      });
    },
  );
}

function parseApiJson(text: string): ParsedExport {
  const items = jsonItems(
    readJson(text, WHAT),
    ["links"],
    WHAT,
    'the answer of GET /v4/groups/{guid}/bitlinks: {"links": [...]}',
  );
  return collectRows(
    items,
    "item",
    (_item, index) => index + 1,
    (item) =>
      isRecord(item) ? { code: codeOfShortUrl(optionalText(item.link) ?? ""), url: optionalText(item.long_url) } : {},
    (item, line) => {
      if (!isRecord(item)) throw new RowProblem("not a bitlink object");
      const url = optionalText(item.long_url);
      if (url === undefined) throw new RowProblem("no long_url");
      const custom = Array.isArray(item.custom_bitlinks)
        ? item.custom_bitlinks.find((c) => typeof c === "string")
        : undefined;
      return importRow({
        line,
        code: code(optionalText(item.link), custom),
        url,
        title: optionalText(item.title),
        tags: tagList(item.tags),
      });
    },
  );
}
