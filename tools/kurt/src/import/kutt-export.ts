import { optionalInstant, optionalText } from "./export-fields.js";
import { collectRows, ExportFormatError, importRow, type ParsedExport, RowProblem } from "./import-row.js";
import { isRecord, jsonItems, looksLikeJson, readJson } from "./json-export.js";

// Kutt (v2 and v3) has no export file: the export is the JSON of its API's
// GET /api/v2/links ({total, limit, skip, data: [...]}), one page or several
// pages saved together. Each link: address (the code), target, description,
// expire_in, banned, password (only whether it has one). docs/import.md lists
// the sources.

const WHAT = "kutt export";

export function parseKuttExport(text: string): ParsedExport {
  if (!looksLikeJson(text)) {
    throw new ExportFormatError(
      `${WHAT}: expected JSON: Kutt has no export file; save the answers of GET /api/v2/links?limit=…&skip=…`,
    );
  }
  const items = jsonItems(readJson(text, WHAT), ["data"], WHAT, 'the answer of GET /api/v2/links: {"data": [...]}');
  return collectRows(
    items,
    "item",
    (_item, index) => index + 1,
    (item) => (isRecord(item) ? { code: optionalText(item.address), url: optionalText(item.target) } : {}),
    (item, line) => {
      if (!isRecord(item)) throw new RowProblem("not a link object");
      const url = optionalText(item.target);
      if (url === undefined) throw new RowProblem("no target");
      const code = optionalText(item.address);
      if (code === undefined) throw new RowProblem("no address");
      // Kutt's admins ban links that lead to harm; importing one would revive it.
      if (item.banned === true) throw new RowProblem("banned in Kutt");
      // The API says only that a password is set, never which: imported without it, the link would be open to all.
      if (item.password === true) throw new RowProblem("password-protected in Kutt, and the export has no password");
      return importRow({
        line,
        code,
        url,
        title: optionalText(item.description),
        tags: [],
        expiresAt: optionalInstant("expire_in", item.expire_in),
      });
    },
  );
}
