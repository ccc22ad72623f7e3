import { parseBitlyExport } from "./bitly-export.js";
import { parseGenericCsv } from "./generic-csv.js";
import type { ParsedExport } from "./import-row.js";
import { parseKuttExport } from "./kutt-export.js";
import { parseShlinkExport } from "./shlink-export.js";
import { parseYourlsExport } from "./yourls-export.js";

/** The formats `./kurt import --from` reads: each parses a whole file's text. */
export const EXPORT_FORMATS = {
  bitly: parseBitlyExport,
  shlink: parseShlinkExport,
  kutt: parseKuttExport,
  yourls: parseYourlsExport,
  csv: parseGenericCsv,
} as const satisfies Record<string, (text: string) => ParsedExport>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const isExportFormat = (name: string): name is ExportFormat => Object.hasOwn(EXPORT_FORMATS, name);
