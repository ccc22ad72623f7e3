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

/** A whole number from `min` to `max` (`--cache-seconds`, `--max-visits`); `range` says it in the message. */
export function parseIntegerOption(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(
      `--${option}: ${JSON.stringify(text)} is not a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}`,
    );
  }
  return Number(text);
}

/** The API's bounds on a password (DESIGN.md §2), counted in characters. */
export const PASSWORD_LENGTH = { min: 4, max: 128 } as const;

/**
 * A link's password as given to `--password` or read by `--password-stdin`.
 * `removable` (update) also takes "", which removes the password.
 */
export function parsePassword(option: string, text: string, removable: boolean): string {
  if (text === "" && removable) return "";
  const length = [...text].length;
  if (length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
    const empty = removable && option === "password" ? ', or "" to remove it' : "";
    throw new UsageError(
      `--${option}: must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters, got ${length}${empty}`,
    );
  }
  return text;
}

/** `--query` of list: 1 to 200 characters (the API's bounds); `--tag`: a non-empty tag. */
export function parseListFilter(option: "query" | "tag", text: string): string {
  if (text.trim() === "") throw new UsageError(`--${option}: needs some text (leave it out to list every link)`);
  if (option === "query" && [...text].length > 200) {
    throw new UsageError(`--query: at most 200 characters, got ${[...text].length}`);
  }
  return text;
}

export const RULE_DEVICES = ["ios", "android", "mobile", "desktop"] as const;
export type RuleDevice = (typeof RULE_DEVICES)[number];

const RULE_KEYS = ["device", "country", "language", "query", "url"] as const;
type RuleKey = (typeof RULE_KEYS)[number];

/** The most rules a link takes (proto/kurt/v1/link_service.proto). */
export const MAX_RULES = 32;

/** A redirect rule as the SDK takes it. */
export interface RuleArg {
  readonly device?: RuleDevice;
  readonly country?: string;
  readonly language?: string;
  readonly query?: { readonly name: string; readonly value?: string };
  readonly url: string;
}

/**
 * One `--rule`: `key=value` pairs split by commas, keys device, country,
 * language, query (`name` or `name:value`) and url (required). A comma stays
 * inside a value unless a key and `=` follow it, so a URL may hold commas.
 */
export function parseRule(text: string): RuleArg {
  const fail = (reason: string): never => {
    throw new UsageError(`--rule: ${reason} in ${JSON.stringify(text)}`);
  };
  const pairs = text.split(new RegExp(`,\\s*(?=(?:${RULE_KEYS.join("|")})\\s*=)`));
  const found = new Map<RuleKey, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = (equals < 0 ? pair : pair.slice(0, equals)).trim();
    if (!(RULE_KEYS as readonly string[]).includes(key)) {
      fail(
        equals < 0
          ? `${JSON.stringify(pair)} is not key=value`
          : `unknown key ${JSON.stringify(key)} (keys: ${RULE_KEYS.join(", ")})`,
      );
    }
    if (found.has(key as RuleKey)) fail(`${key} is given twice`);
    const value = pair.slice(equals + 1);
    if (value === "") fail(`${key} has no value`);
    found.set(key as RuleKey, value);
  }
  const url = found.get("url")?.trim();
  if (url === undefined) fail("url=… is missing (where the rule sends the visitor)");
  if (found.size === 1) fail("a rule needs a condition: device, country, language or query");
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(url as string);
  } catch {
    parsedUrl = undefined;
  }
  if (parsedUrl === undefined || (parsedUrl.protocol !== "http:" && parsedUrl.protocol !== "https:")) {
    fail(`url ${JSON.stringify(url)} is not an absolute http or https URL`);
  }
  const rule: { -readonly [K in keyof RuleArg]: RuleArg[K] } = { url: url as string };
  const device = found.get("device");
  if (device !== undefined) {
    if (!(RULE_DEVICES as readonly string[]).includes(device)) {
      fail(`device ${JSON.stringify(device)} is not one of ${RULE_DEVICES.join(", ")}`);
    }
    rule.device = device as RuleDevice;
  }
  const country = found.get("country");
  if (country !== undefined) {
    if (!/^[A-Za-z]{2}$/.test(country)) fail(`country ${JSON.stringify(country)} is not a two-letter code such as DE`);
    rule.country = country.toUpperCase();
  }
  const language = found.get("language");
  if (language !== undefined) {
    if (!/^[A-Za-z]{2,3}$/.test(language)) {
      fail(`language ${JSON.stringify(language)} is not a primary language subtag such as de`);
    }
    rule.language = language.toLowerCase();
  }
  const query = found.get("query");
  if (query !== undefined) {
    const colon = query.indexOf(":");
    const name = colon < 0 ? query : query.slice(0, colon);
    if (name === "") fail(`query ${JSON.stringify(query)} has no parameter name (query=name or query=name:value)`);
    rule.query = colon < 0 ? { name } : { name, value: query.slice(colon + 1) };
  }
  return rule;
}

/** Every `--rule`, in the order given. */
export function parseRules(texts: readonly string[]): RuleArg[] {
  if (texts.length > MAX_RULES) throw new UsageError(`--rule: at most ${MAX_RULES} rules, got ${texts.length}`);
  return texts.map(parseRule);
}
