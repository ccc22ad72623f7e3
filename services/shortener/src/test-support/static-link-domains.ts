import { createDomainCatalog } from "../domain/domain-catalog.js";
import { createLinkDomains, type LinkDomains } from "../domain/link-domains.js";

/** The domain rules of link calls over a fixed set of configured domains, for tests that need no stack. */
export function staticLinkDomains(publicUrl: string, names: readonly string[] = []): LinkDomains {
  const catalog = createDomainCatalog({
    list: async () =>
      names.map((name) => ({ name, rootRedirect: null, notFoundRedirect: null, createdAt: new Date(0) })),
  });
  return createLinkDomains({ catalog, defaultHost: new URL(publicUrl).host });
}
