import { DEFAULT_DOMAIN, hostNameOfHeader, normalizeHostName } from "@kurt/core/link-domain";

/** What a configured domain answers besides its links (DESIGN.md §2). */
export interface DomainSettings {
  /** Where `GET /` redirects; null: 404. */
  readonly rootRedirect: string | null;
  /** Where an unknown code redirects instead of the 404; null: 404. */
  readonly notFoundRedirect: string | null;
}

export interface ConfiguredDomain extends DomainSettings {
  readonly name: string;
}

/**
 * The configured domains as this resolver last read them. A Host (or a
 * Resolve call's domain) that names none of them is served from the default
 * domain, as DESIGN.md §2 says.
 */
export interface DomainDirectory {
  /** The stored domain a request's Host header selects. */
  domainOfHost(host: string | undefined): string;
  /** The stored domain a Resolve call names; unset, "" or unknown: the default. */
  domainNamed(name: string | undefined): string;
  /** The settings of a configured domain; undefined for the default domain. */
  settings(domain: string): DomainSettings | undefined;
  /** Replaces the whole list (a reload). */
  replace(domains: readonly ConfiguredDomain[]): void;
}

export function createDomainDirectory(): DomainDirectory {
  let byName = new Map<string, DomainSettings>();
  const known = (name: string) => (byName.has(name) ? name : DEFAULT_DOMAIN);
  return {
    // Most installations have no other domain: then no header is parsed at all.
    domainOfHost: (host) => (byName.size === 0 ? DEFAULT_DOMAIN : known(hostNameOfHeader(host))),
    domainNamed: (name) => (name === undefined || name === "" ? DEFAULT_DOMAIN : known(normalizeHostName(name))),
    settings: (domain) => byName.get(domain),
    replace(domains) {
      byName = new Map(
        domains.map((domain) => [
          domain.name,
          { rootRedirect: domain.rootRedirect, notFoundRedirect: domain.notFoundRedirect },
        ]),
      );
    },
  };
}
