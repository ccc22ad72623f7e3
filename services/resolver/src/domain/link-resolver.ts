import type { LinkCacheEntry } from "@kurt/contract/link-cache";
import { isWellFormedCode } from "@kurt/core/link-code";
import { linkKey } from "@kurt/core/link-domain";
import { linkState } from "@kurt/core/link-state";
import type { RedirectRule } from "@kurt/core/redirect-rule";
import { gone, notFound, unavailable } from "@kurt/platform/errors";
import type { LinkStore } from "./link-store.js";
import type { LocalLinkCache } from "./local-link-cache.js";
import type { LookupLayer } from "./lookup-layer.js";
import type { LookupObserver } from "./lookup-observer.js";
import type { SharedLinkCache } from "./shared-link-cache.js";
import { createSingleFlight } from "./single-flight.js";

export interface Redirect {
  readonly url: string;
  readonly redirectStatus: number;
  /** How long a browser may keep the redirect; 0: not at all (DESIGN.md §2). */
  readonly cacheSeconds: number;
  /** Whether the request's query parameters are added to the target's. */
  readonly forwardQuery: boolean;
  /** The cap on human visits, or null: each human visit must first be granted by the visit counter. */
  readonly maxVisits: number | null;
  /** The password's hash, or null: a visitor must give the password before being redirected. */
  readonly passwordHash: string | null;
  /** Checked in order against the visitor; the first that holds gives the target instead of `url`. */
  readonly rules: readonly RedirectRule[];
  readonly servedBy: LookupLayer;
}

export interface LinkResolver {
  /**
   * The redirect for a code of a domain ("" the default one). Throws notFound
   * for a code no link of the domain has, gone for a disabled, deleted or
   * expired link, unavailable only when neither Postgres server can answer.
   */
  resolve(domain: string, code: string): Promise<Redirect>;
  /** A link event said the link changed: forget what this process holds about it (its linkKey). */
  invalidate(key: string): void;
}

export interface LinkResolverDeps {
  readonly memory: LocalLinkCache;
  readonly shared: SharedLinkCache;
  readonly replica: LinkStore;
  readonly primary: LinkStore;
  readonly observer: LookupObserver;
  /** Epoch milliseconds; expiry is decided against it at every answer. */
  readonly now: () => number;
}

interface Found {
  readonly entry: LinkCacheEntry;
  readonly layer: LookupLayer;
}

const GONE_REASONS = {
  disabled: "link is disabled",
  deleted: "link was deleted",
  expired: "link has expired",
} as const;

/**
 * The read side's lookup order (DESIGN.md §1): in-process memory, Redis
 * Cluster, the Postgres replica, and the primary only when the replica has
 * no row, so that a link resolves the moment its create returned even while
 * the replica lags. A failing cache layer is skipped, never reported to the
 * client; only the two databases together decide that a code is unknown.
 */
export function createLinkResolver(deps: LinkResolverDeps): LinkResolver {
  const { memory, shared, replica, primary, observer, now } = deps;
  const flights = createSingleFlight<Found | undefined>();

  const answer = (entry: LinkCacheEntry, servedBy: LookupLayer): Redirect => {
    const state = linkState(entry, now());
    // Not valid yet is answered as unknown (DESIGN.md §2): nothing tells a visitor that the code exists.
    if (state === "pending") throw notFound("link");
    if (state !== "active") throw gone(GONE_REASONS[state]);
    return {
      url: entry.url,
      redirectStatus: entry.redirectStatus,
      cacheSeconds: entry.cacheSeconds,
      forwardQuery: entry.forwardQuery,
      maxVisits: entry.maxVisits,
      passwordHash: entry.passwordHash,
      rules: entry.rules,
      servedBy,
    };
  };

  const fromRedis = async (key: string): Promise<{ entry?: LinkCacheEntry; usable: boolean }> => {
    try {
      const entry = await shared.get(key);
      observer.lookup("redis", entry === undefined ? "miss" : "hit");
      return entry === undefined ? { usable: true } : { entry, usable: true };
    } catch (error) {
      observer.lookup("redis", "error");
      observer.layerFailed("redis", error);
      return { usable: false };
    }
  };

  const fromStore = async (layer: "replica" | "primary", store: LinkStore, domain: string, code: string) => {
    try {
      const entry = await store.find(domain, code);
      observer.lookup(layer, entry === undefined ? "miss" : "hit");
      return { entry };
    } catch (error) {
      observer.lookup(layer, "error");
      observer.layerFailed(layer, error);
      return { error };
    }
  };

  const fromPostgres = async (domain: string, code: string): Promise<Found | undefined> => {
    const onReplica = await fromStore("replica", replica, domain, code);
    if (onReplica.entry !== undefined) return { entry: onReplica.entry, layer: "replica" };
    const onPrimary = await fromStore("primary", primary, domain, code);
    if (onPrimary.entry !== undefined) return { entry: onPrimary.entry, layer: "primary" };
    if (onPrimary.error === undefined) return undefined;
    // The replica's "no row" may only be lag, and a 404 is cacheable by
    // clients while a 503 is not: without the primary, nobody can tell.
    throw unavailable(
      onReplica.error === undefined
        ? "cannot tell whether the link exists: the primary database is unreachable"
        : "link store unavailable",
      onPrimary.error,
    );
  };

  const lookupBeyondMemory = async (
    domain: string,
    code: string,
    key: string,
    isCurrent: () => boolean,
  ): Promise<Found | undefined> => {
    const redis = await fromRedis(key);
    if (redis.entry !== undefined) {
      if (isCurrent()) memory.setLink(key, redis.entry);
      return { entry: redis.entry, layer: "redis" };
    }
    const found = await fromPostgres(domain, code);
    // A lookup overtaken by a link event read something older than the change: answer with it, keep none of it.
    if (!isCurrent()) return found;
    if (found === undefined) {
      memory.setUnknown(key);
      return undefined;
    }
    memory.setLink(key, found.entry);
    if (redis.usable) {
      shared.fillIfAbsent(key, found.entry).catch((error: unknown) => observer.layerFailed("redis", error));
    }
    return found;
  };

  return {
    async resolve(domain, code) {
      if (!isWellFormedCode(code)) throw notFound("link");
      const key = linkKey(domain, code);
      const local = memory.get(key);
      if (local?.kind === "unknown") {
        observer.lookup("memory", "negative");
        throw notFound("link");
      }
      if (local !== undefined) {
        observer.lookup("memory", "hit");
        return answer(local.entry, "memory");
      }
      observer.lookup("memory", "miss");
      const found = await flights.run(key, (isCurrent) => lookupBeyondMemory(domain, code, key, isCurrent));
      if (found === undefined) throw notFound("link");
      return answer(found.entry, found.layer);
    },
    invalidate(key) {
      flights.forget(key);
      memory.drop(key);
    },
  };
}
