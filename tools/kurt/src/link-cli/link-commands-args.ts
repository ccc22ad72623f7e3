import { parseArgs } from "node:util";

/** A command line that cannot be run as typed: exit code 2 with this message and the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

const REDIRECT_STATUSES = [301, 302, 307, 308] as const;
export type RedirectStatusArg = (typeof REDIRECT_STATUSES)[number];

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * An instant as typed on a command line: ISO 8601 (`2027-01-31`,
 * `2027-01-31T12:00:00Z`) or relative to now (`+7d`, `-12h`; units s m h d w).
 */
export function parseInstant(option: string, text: string, nowMs = Date.now()): Date {
  const relative = /^([+-])(\d+)([smhdw])$/.exec(text);
  if (relative !== null) {
    const [, sign, amount, unit] = relative as unknown as [string, string, string, string];
    return new Date(nowMs + (sign === "-" ? -1 : 1) * Number(amount) * (UNIT_MS[unit] as number));
  }
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`--${option}: ${JSON.stringify(text)} is neither an ISO 8601 date nor a duration like +7d`);
  }
  return date;
}

export function parseRedirectStatus(text: string): RedirectStatusArg {
  const value = Number(text);
  if (!(REDIRECT_STATUSES as readonly number[]).includes(value)) {
    throw new UsageError(`--status: ${JSON.stringify(text)} is not one of ${REDIRECT_STATUSES.join(", ")}`);
  }
  return value as RedirectStatusArg;
}

export function parsePositiveInteger(option: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--${option}: ${JSON.stringify(text)} is not a positive integer`);
  return Number(text);
}

/** `--domain NAME` of the link commands: unset means the default domain; an empty name is a mistake. */
export function parseDomainOption(value: string | undefined): { domain?: string } {
  if (value === undefined) return {};
  if (value.trim() === "") {
    throw new UsageError("--domain: needs a domain name such as go.example.com (leave it out for the default domain)");
  }
  return { domain: value };
}

/**
 * The NAME of `./kurt domain add`: a host name, not a URL (the server checks
 * the rest). update and remove take the name as listed, for the server to find.
 */
export function parseDomainName(text: string): string {
  if (text.trim() === "" || /[/:@?#\s]/.test(text)) {
    throw new UsageError(
      `NAME: ${JSON.stringify(text)} is not a host name such as go.example.com (no scheme, port or path)`,
    );
  }
  return text;
}

/**
 * The URL of a domain's redirect option: absolute http or https. `removable`
 * (update) also takes "", which removes the redirect.
 */
export function parseRedirectUrl(option: string, text: string, removable: boolean): string {
  if (text === "" && removable) return "";
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const empty = removable ? ', or "" to remove it' : "";
    throw new UsageError(`--${option}: ${JSON.stringify(text)} is not an absolute http or https URL${empty}`);
  }
  return text;
}

type OptionSpec = { type: "string" | "boolean"; multiple?: boolean };

export interface ParsedLine {
  readonly positionals: string[];
  readonly values: Record<string, string | boolean | string[] | undefined>;
}

/** Strict parsing: an unknown option, or one without its value, is a usage error. */
export function parseLine(
  args: readonly string[],
  options: Record<string, OptionSpec>,
  positionals: number,
): ParsedLine {
  // parseArgs takes "-2h" after "--from" for an option; joined as "--from=-2h" it is the value.
  const joined: string[] = [];
  for (const arg of args) {
    const previous = joined.at(-1);
    const takesValue = previous?.startsWith("--") && options[previous.slice(2)]?.type === "string";
    if (takesValue && /^-\d+[smhdw]$/.test(arg)) joined[joined.length - 1] = `${previous}=${arg}`;
    else joined.push(arg);
  }
  let parsed: ParsedLine;
  try {
    parsed = parseArgs({
      args: joined,
      options: { ...options, json: { type: "boolean" } },
      strict: true,
      allowPositionals: true,
    }) as ParsedLine;
  } catch (error) {
    // One line: node's messages about an ambiguous value run over three.
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, " "));
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      positionals === 0 ? `unexpected argument ${JSON.stringify(parsed.positionals[0])}` : "wrong number of arguments",
    );
  }
  return parsed;
}
