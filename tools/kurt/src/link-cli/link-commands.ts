/**
 * `./kurt link …`: links from the terminal, through the TypeScript SDK and
 * Envoy's internal gRPC listener, with the admin key `./kurt up` made
 * (or KURT_API_KEY). Exit codes: 0 done, 1 the server refused or could not
 * be reached (its message is printed), 2 the command line is wrong.
 */
import { writeFileSync } from "node:fs";
import { Link, ListLinksResponse, Stats } from "@kurt/contract";
import type { UpdateLinkInput } from "@kurt/sdk";
import { type ClientCommandContext, type Run, runClientCommand } from "./client-command.js";
import {
  parseDomainOption,
  parseInstant,
  parseLine,
  parsePositiveInteger,
  parseRedirectStatus,
  type RedirectStatusArg,
  UsageError,
} from "./link-commands-args.js";
import { formatLink, formatLinkList, formatStats } from "./link-commands-format.js";

export const LINK_USAGE = `usage: ./kurt link COMMAND [--json]

  create URL [--code C] [--status 301|302|307|308] [--expires ISO|+7d] [--title T] [--tag X]… [--domain D]
  get CODE [--domain D]
  list [--limit N] [--domain D]
  update CODE [--url U] [--status S] [--expires ISO|+7d | --no-expires] [--disable | --enable]
              [--title T] [--tag X]… [--no-tags] [--domain D]
  delete CODE [--domain D]
  stats CODE [--from ISO|-7d] [--to ISO|+0d] [--interval hour|day] [--domain D]
  qr CODE [--format svg|png] [--size PIXELS] [--out FILE] [--domain D]
                                  (a PNG needs --out; an SVG is printed without it)

--domain D: the link's domain (see ./kurt domain); without it, the default domain, and for list every
domain. --json prints the API's JSON instead of a table. The key is KURT_API_KEY, else the admin key of
./kurt up; the address is KURT_GRPC, else Envoy's internal gRPC listener of this stack.`;

export type LinkCommandContext = ClientCommandContext;

const DOMAIN = { domain: { type: "string" } } as const;

const str = (value: unknown) => value as string | undefined;

const linkAnswer = (link: Link, asJson: boolean) => ({ json: Link.toJSON(link), text: formatLink(link), asJson });

const COMMANDS: Record<string, Run> = {
  async create(kurt, args) {
    const { positionals, values } = parseLine(
      args,
      {
        code: { type: "string" },
        status: { type: "string" },
        expires: { type: "string" },
        title: { type: "string" },
        tag: { type: "string", multiple: true },
        ...DOMAIN,
      },
      1,
    );
    const link = await kurt.createLink({
      url: positionals[0] as string,
      ...parseDomainOption(str(values.domain)),
      ...(values.code === undefined ? {} : { code: str(values.code) as string }),
      ...optionalStatus(values.status),
      ...(values.expires === undefined ? {} : { expiresAt: parseInstant("expires", str(values.expires) as string) }),
      ...(values.title === undefined ? {} : { title: str(values.title) as string }),
      tags: (values.tag as string[] | undefined) ?? [],
    });
    return linkAnswer(link, values.json === true);
  },

  async get(kurt, args) {
    const { positionals, values } = parseLine(args, DOMAIN, 1);
    const link = await kurt.getLink(positionals[0] as string, parseDomainOption(str(values.domain)));
    return linkAnswer(link, values.json === true);
  },

  async list(kurt, args) {
    const { values } = parseLine(args, { limit: { type: "string" }, ...DOMAIN }, 0);
    const limit = values.limit === undefined ? 50 : parsePositiveInteger("limit", str(values.limit) as string);
    const filter = parseDomainOption(str(values.domain));
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

  async update(kurt, args) {
    const { positionals, values } = parseLine(
      args,
      {
        url: { type: "string" },
        status: { type: "string" },
        expires: { type: "string" },
        "no-expires": { type: "boolean" },
        disable: { type: "boolean" },
        enable: { type: "boolean" },
        title: { type: "string" },
        tag: { type: "string", multiple: true },
        "no-tags": { type: "boolean" },
        ...DOMAIN,
      },
      1,
    );
    if (values.expires !== undefined && values["no-expires"] === true) {
      throw new UsageError("--expires and --no-expires exclude each other");
    }
    if (values.disable === true && values.enable === true)
      throw new UsageError("--disable and --enable exclude each other");
    if (values.tag !== undefined && values["no-tags"] === true)
      throw new UsageError("--tag and --no-tags exclude each other");
    const tags = values["no-tags"] === true ? [] : (values.tag as string[] | undefined);
    const where = { code: positionals[0] as string, ...parseDomainOption(str(values.domain)) };
    const input: UpdateLinkInput = {
      ...where,
      ...(values.url === undefined ? {} : { url: str(values.url) as string }),
      ...optionalStatus(values.status),
      ...(values.expires === undefined ? {} : { expiresAt: parseInstant("expires", str(values.expires) as string) }),
      ...(values["no-expires"] === true ? { clearExpiresAt: true } : {}),
      ...(values.disable === true ? { disabled: true } : values.enable === true ? { disabled: false } : {}),
      ...(values.title === undefined ? {} : { title: str(values.title) as string }),
      ...(tags === undefined ? {} : { tags }),
    };
    if (Object.keys(input).length === Object.keys(where).length) {
      throw new UsageError("nothing to update: give at least one option");
    }
    return linkAnswer(await kurt.updateLink(input), values.json === true);
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

function optionalStatus(value: unknown): { redirectStatus?: RedirectStatusArg } {
  return value === undefined ? {} : { redirectStatus: parseRedirectStatus(value as string) };
}

export function linkCommand(args: readonly string[], ctx: LinkCommandContext): Promise<number> {
  return runClientCommand({ name: "link", usage: LINK_USAGE, commands: COMMANDS }, args, ctx);
}
