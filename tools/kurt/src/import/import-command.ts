/**
 * `./kurt import --from FORMAT FILE`: creates the links of another
 * shortener's export in Kurt, keeping their codes, through the TypeScript SDK
 * (BatchCreateLinks). Exit codes: 0 every row is in Kurt (created, already
 * imported or a duplicate), 3 some rows were not imported (invalid or a
 * conflict: see the summary), 1 some calls failed (run it again), 2 the
 * command line or the file is wrong (nothing was sent).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createKurtClient, KurtError } from "@kurt/sdk";
import { readAdminKey } from "../admin-key.js";
import type { ClientCommandContext } from "../link-cli/client-command.js";
import { parseDomainOption, parseLine, UsageError } from "../link-cli/link-commands-args.js";
import { EXPORT_FORMATS, type ExportFormat, isExportFormat } from "./export-formats.js";
import type { RowOutcome } from "./import-outcome.js";
import { planImport } from "./import-plan.js";
import { buildReport, formatReport, type ImportReport, notImported } from "./import-report.js";
import { ExportFormatError, type ParsedExport } from "./import-row.js";
import { type ImportPort, runImport } from "./import-runner.js";
import { createKurtImportPort } from "./kurt-import-port.js";
import { createProgress, type ProgressStream } from "./progress-bar.js";

export const IMPORT_USAGE = `usage: ./kurt import --from bitly|shlink|kutt|yourls|csv FILE [--domain D] [--dry-run]
                    [--rename-invalid] [--report FILE] [--json]

Creates the links of another shortener's export, keeping their codes where they are free.
  --from F          the export's format: bitly (CSV, or the API's bitlinks JSON), shlink (the web client's
                    CSV, or the REST API's JSON), kutt (the API's JSON), yourls (the links table as CSV),
                    csv (a header row with url, and optionally code, title, tags, expiresAt, validSince, maxVisits)
  --domain D        put every link under domain D (see ./kurt domain); without it, the default domain
  --dry-run         read and check the file, say what would be sent, send nothing
  --rename-invalid  import a link whose code does not fit Kurt ([A-Za-z0-9_-]{3,64}) under a generated code
                    (without it such rows are reported and skipped)
  --report FILE     also write the summary and every row's outcome as JSON
  --json            print that JSON instead of the summary

Safe to run twice: a code that already leads to the same URL counts as already imported. Creation dates
are not carried (Kurt sets them). Exit codes: 0 all rows are in Kurt, 3 some were not imported
(invalid or conflicts), 1 some calls failed (run it again), 2 the command line or the file is wrong.
See docs/import.md for what is read from each format.`;

export interface ImportCommandContext extends ClientCommandContext {
  /** Where the progress bar goes (stderr). */
  readonly progress: ProgressStream;
  readonly now?: () => Date;
  /** The port to use instead of one on the SDK client (tests). */
  readonly port?: ImportPort;
}

const OPTIONS = {
  from: { type: "string" },
  domain: { type: "string" },
  "dry-run": { type: "boolean" },
  "rename-invalid": { type: "boolean" },
  report: { type: "string" },
} as const;

/** The file's text, or a one-line reason it cannot be read. */
function readExport(file: string): string | { problem: string } {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { problem: `${file}: no such file` };
    if (code === "EISDIR") return { problem: `${file}: is a directory, not an export file` };
    return { problem: `${file}: cannot be read: ${(error as Error).message}` };
  }
}

export async function importCommand(args: readonly string[], ctx: ImportCommandContext): Promise<number> {
  if (args.length === 0 || ["help", "--help", "-h"].includes(args[0] as string)) {
    ctx.out(IMPORT_USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const wrong = (message: string) => {
    ctx.err(`./kurt import: ${message}`);
    return 2;
  };
  let from: ExportFormat;
  let file: string;
  let domain: { domain?: string };
  let values: Record<string, unknown>;
  try {
    const line = parseLine(args, OPTIONS, 1);
    values = line.values;
    const format = values.from as string | undefined;
    if (format === undefined) throw new UsageError("--from FORMAT is required: bitly, shlink, kutt, yourls or csv");
    if (!isExportFormat(format))
      throw new UsageError(`--from: ${JSON.stringify(format)} is not one of ${Object.keys(EXPORT_FORMATS).join(", ")}`);
    from = format;
    file = line.positionals[0] as string;
    domain = parseDomainOption(values.domain as string | undefined);
  } catch (error) {
    if (error instanceof UsageError) return wrong(`${error.message}\n\n${IMPORT_USAGE}`);
    throw error;
  }

  const text = readExport(file);
  if (typeof text !== "string") return wrong(text.problem);
  let parsed: ParsedExport;
  try {
    parsed = EXPORT_FORMATS[from](text);
  } catch (error) {
    if (error instanceof ExportFormatError) return wrong(`${file}: ${error.message}`);
    throw error;
  }
  const reportFile = values.report as string | undefined;
  if (reportFile !== undefined) {
    // Found out now, not after the links are in.
    try {
      writeFileSync(reportFile, "");
    } catch (error) {
      return wrong(`--report: cannot write ${reportFile}: ${(error as Error).message}`);
    }
  }

  const dryRun = values["dry-run"] === true;
  const plan = planImport(parsed, {
    ...domain,
    renameInvalid: values["rename-invalid"] === true,
    now: (ctx.now ?? (() => new Date()))(),
  });
  let rows: RowOutcome[];
  if (dryRun || plan.links.length === 0) {
    const planned = plan.links.map(
      (link): RowOutcome => ({
        kind: "planned",
        line: link.line,
        url: link.input.url,
        ...(link.input.code === undefined ? {} : { code: link.input.code }),
        ...(link.originalCode === undefined ? {} : { originalCode: link.originalCode }),
      }),
    );
    rows = [...plan.outcomes, ...planned].sort((a, b) => a.line - b.line);
  } else {
    const sent = await send(plan, domain.domain, ctx);
    if (typeof sent === "number") return sent;
    rows = sent;
  }

  const report = buildReport({ from, file, domain: domain.domain ?? null, dryRun, unit: parsed.unit, rows });
  ctx.out(values.json === true ? JSON.stringify(report, null, 2) : formatReport(report));
  if (reportFile !== undefined) writeReport(reportFile, report);
  if (report.counts.failed > 0) return 1;
  return notImported(report) > 0 ? 3 : 0;
}

function writeReport(file: string, report: ImportReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Sends the plan through the SDK (or ctx.port), with the progress bar; a number is the exit code of a failure. */
async function send(
  plan: ReturnType<typeof planImport>,
  domain: string | undefined,
  ctx: ImportCommandContext,
): Promise<RowOutcome[] | number> {
  let port = ctx.port;
  let close = () => {};
  let address = "";
  if (port === undefined) {
    const apiKey = ctx.env.KURT_API_KEY || readAdminKey(ctx.paths);
    if (apiKey === undefined) {
      ctx.err("no API key: set KURT_API_KEY, or run ./kurt up, which makes the admin key");
      return 1;
    }
    address = ctx.env.KURT_GRPC || `${ctx.topology.host}:${ctx.topology.envoy.grpcPort}`;
    const kurt = (ctx.connect ?? ((to, key) => createKurtClient({ address: to, apiKey: key })))(address, apiKey);
    port = createKurtImportPort(kurt);
    close = () => kurt.close();
  }
  const progress = createProgress(ctx.progress, plan.links.length);
  try {
    const rows = await runImport(plan, port, {
      ...(domain === undefined ? {} : { domain }),
      onProgress: (settled) => progress.update(settled),
    });
    if (rows.filter((row) => row.kind === "failed").length === plan.links.length && address !== "") {
      progress.finish();
      ctx.err(`error: no link could be sent (is the stack up at ${address}? ./kurt status)`);
    }
    return rows;
  } catch (error) {
    if (error instanceof KurtError) {
      ctx.err(
        `error: ${error.code}: ${error.message}${error.code === "unavailable" ? ` (is the stack up at ${address}?)` : ""}`,
      );
      return 1;
    }
    throw error;
  } finally {
    progress.finish();
    close();
  }
}
