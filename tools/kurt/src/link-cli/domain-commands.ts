/**
 * `./kurt domain …`: the domains links live under (DomainService, admin
 * scope), through the TypeScript SDK like `./kurt link`, with the same key,
 * address, `--json` and exit codes.
 */
import { Domain, ListDomainsResponse } from "@kurt/contract";
import type { UpdateDomainInput } from "@kurt/sdk";
import { type ClientCommandContext, type Run, runClientCommand } from "./client-command.js";
import { parseDomainName, parseLine, parseRedirectUrl, UsageError } from "./link-commands-args.js";
import { formatDomain, formatDomainList } from "./link-commands-format.js";

export const DOMAIN_USAGE = `usage: ./kurt domain COMMAND [--json]

  add NAME [--root-redirect URL] [--not-found-redirect URL]
  list
  update NAME [--root-redirect URL|""] [--not-found-redirect URL|""]   ("" removes the redirect)
  remove NAME                     (refused while links live under the domain)

NAME is a host name such as go.example.com; a request whose Host is NAME is served from its links,
--root-redirect answers GET / on it, --not-found-redirect replaces its 404s. Create links under it with
./kurt link create URL --domain NAME. Needs an admin key: KURT_API_KEY, else the admin key of ./kurt up.`;

const REDIRECTS = {
  "root-redirect": { type: "string" },
  "not-found-redirect": { type: "string" },
} as const;

const str = (value: unknown) => value as string | undefined;

/** The redirect options given, as the SDK's fields; `removable` lets "" through (update). */
function redirects(
  values: Record<string, unknown>,
  removable: boolean,
): { rootRedirect?: string; notFoundRedirect?: string } {
  const root = str(values["root-redirect"]);
  const notFound = str(values["not-found-redirect"]);
  return {
    ...(root === undefined ? {} : { rootRedirect: parseRedirectUrl("root-redirect", root, removable) }),
    ...(notFound === undefined
      ? {}
      : { notFoundRedirect: parseRedirectUrl("not-found-redirect", notFound, removable) }),
  };
}

const domainAnswer = (domain: Domain, asJson: boolean) => ({
  json: Domain.toJSON(domain),
  text: formatDomain(domain),
  asJson,
});

const COMMANDS: Record<string, Run> = {
  async add(kurt, args) {
    const { positionals, values } = parseLine(args, REDIRECTS, 1);
    const domain = parseDomainName(positionals[0] as string);
    return domainAnswer(await kurt.createDomain({ domain, ...redirects(values, false) }), values.json === true);
  },

  async list(kurt, args) {
    const { values } = parseLine(args, {}, 0);
    const answer = await kurt.listDomains();
    return {
      json: ListDomainsResponse.toJSON(answer),
      text: formatDomainList(answer.domains),
      asJson: values.json === true,
    };
  },

  async update(kurt, args) {
    const { positionals, values } = parseLine(args, REDIRECTS, 1);
    const input: UpdateDomainInput = { domain: positionals[0] as string, ...redirects(values, true) };
    if (Object.keys(input).length === 1) {
      throw new UsageError('nothing to update: give --root-redirect or --not-found-redirect (a URL, or "" to remove)');
    }
    return domainAnswer(await kurt.updateDomain(input), values.json === true);
  },

  async remove(kurt, args) {
    const { positionals, values } = parseLine(args, {}, 1);
    const name = positionals[0] as string;
    const removed = (await kurt.deleteDomain(name)).domain || name;
    return {
      json: { domain: removed, deleted: true },
      text: `removed ${removed}`,
      asJson: values.json === true,
    };
  },
};

export function domainCommand(args: readonly string[], ctx: ClientCommandContext): Promise<number> {
  return runClientCommand({ name: "domain", usage: DOMAIN_USAGE, commands: COMMANDS }, args, ctx);
}
