import { hostNameOfHeader, normalizeHostName } from "@kurt/core/link-domain";
import { alreadyExists, conflict, invalidArgument, notFound } from "@kurt/platform/errors";
import type { Domain, DomainChanges, DomainStore } from "./domain.js";
import type { DomainCatalog } from "./domain-catalog.js";
import { validateDomainName } from "./domain-name.js";
import type { TargetUrlPolicy } from "./target-url.js";

export interface CreateDomainInput {
  readonly domain: string;
  readonly rootRedirect?: string | undefined;
  readonly notFoundRedirect?: string | undefined;
}

export interface UpdateDomainInput {
  readonly domain: string;
  /** "" removes the redirect. */
  readonly rootRedirect?: string | undefined;
  readonly notFoundRedirect?: string | undefined;
}

export interface DomainService {
  createDomain(input: CreateDomainInput): Promise<Domain>;
  listDomains(): Promise<Domain[]>;
  updateDomain(input: UpdateDomainInput): Promise<Domain>;
  deleteDomain(name: string): Promise<Domain>;
}

/**
 * Domains (DESIGN.md §2), admin only. The default domain (the public URL's
 * host) is not stored: it cannot be created, changed or deleted here. A
 * domain's redirects follow the target URL rules of a link, loops included.
 */
export function createDomainService(deps: {
  readonly store: DomainStore;
  readonly catalog: DomainCatalog;
  readonly targetUrl: TargetUrlPolicy;
  /** The default domain's host name (the public URL's, without port). */
  readonly defaultHostName: string;
}): DomainService {
  const { store, catalog, targetUrl } = deps;
  const redirect = (value: string | undefined, field: string) =>
    value === undefined ? undefined : targetUrl(value, field);
  // The default domain may be named with its port, as its links show it.
  const isDefault = (name: string) => hostNameOfHeader(name) === deps.defaultHostName;
  const afterChange = () => catalog.refresh().catch(() => {});

  return {
    async createDomain(input) {
      const name = validateDomainName(input.domain);
      if (isDefault(name)) throw alreadyExists("domain", `"${name}" is the default domain`);
      const rootRedirect = redirect(input.rootRedirect, "rootRedirect") ?? null;
      const notFoundRedirect = redirect(input.notFoundRedirect, "notFoundRedirect") ?? null;
      const domain = await store.insert({ name, rootRedirect, notFoundRedirect });
      if (domain === undefined) throw alreadyExists("domain", `"${name}" is already configured`);
      await afterChange();
      return domain;
    },

    listDomains: () => store.list(),

    async updateDomain(input) {
      if (isDefault(input.domain)) throw invalidArgument("domain", "the default domain is not managed here");
      const name = normalizeHostName(input.domain);
      const changes: { -readonly [K in keyof DomainChanges]: DomainChanges[K] } = {};
      if (input.rootRedirect !== undefined)
        changes.rootRedirect = input.rootRedirect === "" ? null : targetUrl(input.rootRedirect, "rootRedirect");
      if (input.notFoundRedirect !== undefined)
        changes.notFoundRedirect =
          input.notFoundRedirect === "" ? null : targetUrl(input.notFoundRedirect, "notFoundRedirect");
      const domain = await store.update(name, changes);
      if (domain === undefined) throw notFound(`domain "${input.domain}"`);
      await afterChange();
      return domain;
    },

    async deleteDomain(requested) {
      if (isDefault(requested)) throw invalidArgument("domain", "the default domain cannot be deleted");
      const outcome = await store.delete(normalizeHostName(requested));
      if ("missing" in outcome) throw notFound(`domain "${requested}"`);
      if ("liveLinks" in outcome)
        throw conflict(
          "domain",
          `"${requested}" still holds ${outcome.liveLinks} link(s); delete them first, or their short URLs would answer from the default domain`,
        );
      await afterChange();
      return outcome.deleted;
    },
  };
}
