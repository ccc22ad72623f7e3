/**
 * `./kurt link …`: links from the terminal, through the TypeScript SDK and
 * Envoy's internal gRPC listener, with the admin key `./kurt up` made
 * (or KURT_API_KEY). Exit codes: 0 done, 1 the server refused or could not
 * be reached (its message is printed), 2 the command line is wrong.
 */
import { writeFileSync } from "node:fs";
import { Link, ListLinksResponse, Stats } from "@kurt/contract";
import type { CreateLinkInput, UpdateLinkInput } from "@kurt/sdk";
import { type ClientCommandContext, type CommandInput, type Run, runClientCommand } from "./client-command.js";
import {
  type ParsedLine,
  parseDomainOption,
  parseInstant,
  parseIntegerOption,
  parseLine,
  parseListFilter,
  parsePassword,
  parsePositiveInteger,
  parseRedirectStatus,
  parseRules,
  type RedirectStatusArg,
  UsageError,
} from "./link-commands-args.js";
import { formatLink, formatLinkList, formatStats } from "./link-commands-format.js";

export const LINK_USAGE = `usage: ./kurt link COMMAND [--json]

  create URL [--code C] [--status 301|302|307|308] [--expires ISO|+7d] [--valid-since ISO|+1d]
             [--cache-seconds N] [--forward-query] [--max-visits N] [--password P | --password-stdin]
             [--rule SPEC]… [--title T] [--tag X]… [--domain D]
  get CODE [--domain D]
  list [--limit N] [--query TEXT] [--tag X] [--domain D]
  update CODE [--url U] [--status S] [--expires ISO|+7d | --no-expires] [--valid-since ISO | --clear-valid-since]
              [--cache-seconds N] [--forward-query | --no-forward-query] [--max-visits N | --clear-max-visits]
              [--password P | --password-stdin] [--rule SPEC]… [--clear-rules] [--disable | --enable]
              [--title T] [--tag X]… [--no-tags] [--domain D]
  delete CODE [--domain D]
  stats CODE [--from ISO|-7d] [--to ISO|+0d] [--interval hour|day] [--domain D]
  qr CODE [--format svg|png] [--size PIXELS] [--out FILE] [--domain D]
                                  (a PNG needs --out; an SVG is printed without it)

--domain D: the link's domain (see ./kurt domain); without it, the default domain, and for list every
domain. --json prints the API's JSON instead of a table. The key is KURT_API_KEY, else the admin key of
./kurt up; the address is KURT_GRPC, else Envoy's internal gRPC listener of this stack.

--max-visits N: after N human visits the link answers 410 (--clear-max-visits removes the cap).
--password P: visitors give it in a form first (4 to 128 characters; on update "" removes it). A password
  on the command line lands in the shell's history: --password-stdin reads it from the first line of stdin
  instead (printf '%s\\n' "$PW" | ./kurt link create URL --password-stdin).
--rule SPEC: where a visit goes instead of URL, e.g. 'device=ios,url=https://apps.apple.com/…'; keys
  device (ios, android, mobile, desktop), country (DE), language (de), query (name or name:value) and url;
  every condition of a rule must hold, the first rule that holds wins (repeat --rule, in order). On update
  the rules given replace all the link's rules; --clear-rules removes them.
--cache-seconds N: browsers may keep the redirect N seconds (0 to 31,536,000; 0: not at all).
--forward-query: the visitor's query string is added to the target's. --valid-since: 404 until then.
--query TEXT: links whose code, URL or title contains TEXT (any case); --tag X: links tagged X.`;

export type LinkCommandContext = ClientCommandContext;

const DOMAIN = { domain: { type: "string" } } as const;

const str = (value: unknown) => value as string | undefined;

const linkAnswer = (link: Link, asJson: boolean) => ({ json: Link.toJSON(link), text: formatLink(link), asJson });

/** The API's bounds (DESIGN.md §2); int32 is the wire type of maxVisits. */
const MAX_CACHE_SECONDS = 31_536_000;
const MAX_INT32 = 2_147_483_647;

/** What create and update both take beyond the URL: the schedule, caching, the cap, the password, the rules. */
const SETTINGS = {
  status: { type: "string" },
  expires: { type: "string" },
  "valid-since": { type: "string" },
  "cache-seconds": { type: "string" },
  "forward-query": { type: "boolean" },
  "no-forward-query": { type: "boolean" },
  "max-visits": { type: "string" },
  password: { type: "string" },
  "password-stdin": { type: "boolean" },
  rule: { type: "string", multiple: true },
  title: { type: "string" },
  tag: { type: "string", multiple: true },
  ...DOMAIN,
} as const;

function exclusive(values: ParsedLine["values"], ...options: string[]): void {
  const given = options.filter((option) => values[option] !== undefined);
  if (given.length > 1) throw new UsageError(`${given.map((o) => `--${o}`).join(" and ")} exclude each other`);
}

/** The fields create and update share, from the flags given; on `update`, `--password ""` removes the password. */
async function settings(
  values: ParsedLine["values"],
  input: CommandInput,
  update: boolean,
): Promise<Omit<UpdateLinkInput, "code" | "url" | "disabled" | "tags" | "clearExpiresAt">> {
  exclusive(values, "forward-query", "no-forward-query");
  exclusive(values, "password", "password-stdin");
  const cacheSeconds = str(values["cache-seconds"]);
  const maxVisits = str(values["max-visits"]);
  const rules = values.rule as string[] | undefined;
  const fields = {
    ...optionalStatus(values.status),
    ...(values.expires === undefined ? {} : { expiresAt: parseInstant("expires", str(values.expires) as string) }),
    ...(values["valid-since"] === undefined
      ? {}
      : { validSince: parseInstant("valid-since", str(values["valid-since"]) as string) }),
    ...(cacheSeconds === undefined
      ? {}
      : { cacheSeconds: parseIntegerOption("cache-seconds", cacheSeconds, 0, MAX_CACHE_SECONDS) }),
    ...(values["forward-query"] === true ? { forwardQuery: true } : {}),
    ...(values["no-forward-query"] === true ? { forwardQuery: false } : {}),
    ...(maxVisits === undefined ? {} : { maxVisits: parseIntegerOption("max-visits", maxVisits, 1, MAX_INT32) }),
    ...(rules === undefined ? {} : { rules: parseRules(rules) }),
    ...(values.title === undefined ? {} : { title: str(values.title) as string }),
    ...(values.password === undefined
      ? {}
      : { password: parsePassword("password", str(values.password) as string, update) }),
  };
  // Read last, once every flag is known to be good: a bad flag never waits on stdin.
  if (values["password-stdin"] !== true) return fields;
  const line = await input.readStdinLine();
  if (line === undefined || line === "") {
    const remove = update ? ' (to remove the password, give --password "")' : "";
    throw new UsageError(`--password-stdin: stdin gave no password${remove}`);
  }
  return { ...fields, password: parsePassword("password-stdin", line, false) };
}

const COMMANDS: Record<string, Run> = {
  async create(kurt, args, input) {
    const { positionals, values } = parseLine(args, { code: { type: "string" }, ...SETTINGS }, 1);
    const link: CreateLinkInput = {
      url: positionals[0] as string,
      ...parseDomainOption(str(values.domain)),
      ...(values.code === undefined ? {} : { code: str(values.code) as string }),
      ...(await settings(values, input, false)),
      tags: (values.tag as string[] | undefined) ?? [],
    };
    return linkAnswer(await kurt.createLink(link), values.json === true);
  },

  async get(kurt, args) {
    const { positionals, values } = parseLine(args, DOMAIN, 1);
    const link = await kurt.getLink(positionals[0] as string, parseDomainOption(str(values.domain)));
    return linkAnswer(link, values.json === true);
  },

  async list(kurt, args) {
    const { values } = parseLine(
      args,
      { limit: { type: "string" }, query: { type: "string" }, tag: { type: "string" }, ...DOMAIN },
      0,
    );
    const limit = values.limit === undefined ? 50 : parsePositiveInteger("limit", str(values.limit) as string);
    const filter = {
      ...parseDomainOption(str(values.domain)),
      ...(values.query === undefined ? {} : { query: parseListFilter("query", str(values.query) as string) }),
      ...(values.tag === undefined ? {} : { tag: parseListFilter("tag", str(values.tag) as string) }),
    };
    // The server caps a page; follow the pages until the limit is reached.
    const links: Link[] = [];
    let pageToken = "";
    do {
      const page = await kurt.listLinks({ pageSize: Math.min(100, limit - links.length), pageToken, ...filter });
      links.push(...page.links);
      pageToken = page.nextPageToken;
    } while (pageToken !== "" && links.length < limit);
    const shown = links.slice(0, limit);
    return {
      json: ListLinksResponse.toJSON({ links: shown, nextPageToken: pageToken }),
      text: formatLinkList(shown),
      asJson: values.json === true,
    };
  },

  async update(kurt, args, input) {
    const { positionals, values } = parseLine(
      args,
      {
        url: { type: "string" },
        "no-expires": { type: "boolean" },
        "clear-valid-since": { type: "boolean" },
        "clear-max-visits": { type: "boolean" },
        "clear-rules": { type: "boolean" },
        disable: { type: "boolean" },
        enable: { type: "boolean" },
        "no-tags": { type: "boolean" },
        ...SETTINGS,
      },
      1,
    );
    exclusive(values, "expires", "no-expires");
    exclusive(values, "valid-since", "clear-valid-since");
    exclusive(values, "max-visits", "clear-max-visits");
    exclusive(values, "rule", "clear-rules");
    exclusive(values, "disable", "enable");
    exclusive(values, "tag", "no-tags");
    const tags = values["no-tags"] === true ? [] : (values.tag as string[] | undefined);
    const where = { code: positionals[0] as string, ...parseDomainOption(str(values.domain)) };
    const changes: Omit<UpdateLinkInput, "code" | "domain"> = {
      ...(values.url === undefined ? {} : { url: str(values.url) as string }),
      ...(values["no-expires"] === true ? { clearExpiresAt: true } : {}),
      ...(values["clear-valid-since"] === true ? { clearValidSince: true } : {}),
      ...(values["clear-max-visits"] === true ? { clearMaxVisits: true } : {}),
      ...(values["clear-rules"] === true ? { rules: [] } : {}),
      ...(values.disable === true ? { disabled: true } : values.enable === true ? { disabled: false } : {}),
      ...(tags === undefined ? {} : { tags }),
    };
    if (Object.keys(changes).length === 0 && !SETTING_NAMES.some((name) => values[name] !== undefined)) {
      throw new UsageError("nothing to update: give at least one option");
    }
    const link = await kurt.updateLink({ ...where, ...changes, ...(await settings(values, input, true)) });
    return linkAnswer(link, values.json === true);
  },

  async delete(kurt, args) {
    const { positionals, values } = parseLine(args, DOMAIN, 1);
    const code = positionals[0] as string;
    const inDomain = parseDomainOption(str(values.domain));
    await kurt.deleteLink(code, inDomain);
    const name = inDomain.domain === undefined ? code : `${code} (${inDomain.domain})`;
    return { json: { code, ...inDomain, deleted: true }, text: `deleted ${name}`, asJson: values.json === true };
  },

  async stats(kurt, args) {
    const { positionals, values } = parseLine(
      args,
      { from: { type: "string" }, to: { type: "string" }, interval: { type: "string" }, ...DOMAIN },
      1,
    );
    const interval = str(values.interval);
    if (interval !== undefined && interval !== "hour" && interval !== "day") {
      throw new UsageError(`--interval: ${JSON.stringify(interval)} is not hour or day`);
    }
    const stats = await kurt.getLinkStats(positionals[0] as string, {
      ...parseDomainOption(str(values.domain)),
      ...(values.from === undefined ? {} : { from: parseInstant("from", str(values.from) as string) }),
      ...(values.to === undefined ? {} : { to: parseInstant("to", str(values.to) as string) }),
      ...(interval === undefined ? {} : { interval }),
    });
    return { json: Stats.toJSON(stats), text: formatStats(stats), asJson: values.json === true };
  },

  async qr(kurt, args) {
    const { positionals, values } = parseLine(
      args,
      { format: { type: "string" }, size: { type: "string" }, out: { type: "string" }, ...DOMAIN },
      1,
    );
    const format = str(values.format) ?? "svg";
    if (format !== "svg" && format !== "png")
      throw new UsageError(`--format: ${JSON.stringify(format)} is not svg or png`);
    const out = str(values.out);
    if (format === "png" && out === undefined) throw new UsageError("a PNG is binary: give --out FILE");
    const code = positionals[0] as string;
    const image = await kurt.getLinkQrCode(code, {
      ...parseDomainOption(str(values.domain)),
      format,
      ...(values.size === undefined ? {} : { size: parsePositiveInteger("size", str(values.size) as string) }),
    });
    const json = { code, contentType: image.contentType, bytes: image.data.length, file: out ?? null };
    if (out === undefined)
      return {
        json: { ...json, svg: image.data.toString("utf8") },
        text: image.data.toString("utf8"),
        asJson: values.json === true,
      };
    writeFileSync(out, image.data);
    return {
      json,
      text: `wrote ${out} (${image.contentType}, ${image.data.length} bytes)`,
      asJson: values.json === true,
    };
  },
};

/** The flags of SETTINGS that change a link (not --domain, which only says where it is). */
const SETTING_NAMES = Object.keys(SETTINGS).filter((name) => name !== "domain");

function optionalStatus(value: unknown): { redirectStatus?: RedirectStatusArg } {
  return value === undefined ? {} : { redirectStatus: parseRedirectStatus(value as string) };
}

export function linkCommand(args: readonly string[], ctx: LinkCommandContext): Promise<number> {
  return runClientCommand({ name: "link", usage: LINK_USAGE, commands: COMMANDS }, args, ctx);
}
