import type { Domain } from "./domain.js";

/**
 * The names of the configured domains as this replica knows them. The
 * composition root reloads them every second (another replica may have
 * changed them) and this replica's own changes reload them at once. The
 * target URL rule reads the last known set synchronously; a create under a
 * domain missing from it reloads before refusing.
 */
export interface DomainCatalog {
  /** The last known names (empty before the first load). */
  current(): ReadonlySet<string>;
  /** Whether the name is configured, reloading once when it is not in the last known set. */
  has(name: string): Promise<boolean>;
  /** Reloads now (concurrent calls share one query). */
  refresh(): Promise<ReadonlySet<string>>;
}

export function createDomainCatalog(deps: { readonly list: () => Promise<Domain[]> }): DomainCatalog {
  let names: ReadonlySet<string> = new Set();
  let loading: Promise<ReadonlySet<string>> | undefined;

  const refresh = () => {
    loading ??= deps
      .list()
      .then((domains) => {
        names = new Set(domains.map((domain) => domain.name));
        return names;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };

  return {
    current: () => names,
    refresh,
    async has(name) {
      return names.has(name) || (await refresh()).has(name);
    },
  };
}
