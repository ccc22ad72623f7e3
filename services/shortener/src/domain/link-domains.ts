import { DEFAULT_DOMAIN, requestedDomain } from "@kurt/core/link-domain";
import { invalidArgument } from "@kurt/platform/errors";
import type { DomainCatalog } from "./domain-catalog.js";
import { validateDomainName } from "./domain-name.js";

/** Which stored domain a link call names (DESIGN.md §2: unset means the default domain). */
export interface LinkDomains {
  /** For a create: the default domain or a configured one, else INVALID_ARGUMENT naming `domain`. */
  forCreate(requested: string | undefined): Promise<string>;
  /** For a lookup: the default domain or any well-formed name (an unknown one simply holds no link). */
  forLookup(requested: string | undefined): string;
}

export function createLinkDomains(deps: {
  readonly catalog: DomainCatalog;
  /** The public URL's host, with its port if it has one: the default domain's public name. */
  readonly defaultHost: string;
}): LinkDomains {
  const named = (requested: string | undefined) => {
    if (requested === "") throw invalidArgument("domain", "must not be empty (leave it out for the default domain)");
    const domain = requestedDomain(requested, deps.defaultHost);
    return domain === DEFAULT_DOMAIN ? domain : validateDomainName(domain);
  };
  return {
    async forCreate(requested) {
      const domain = named(requested);
      if (domain !== DEFAULT_DOMAIN && !(await deps.catalog.has(domain)))
        throw invalidArgument("domain", `"${domain}" is not a configured domain (see GET /v1/domains)`);
      return domain;
    },
    forLookup: named,
  };
}
