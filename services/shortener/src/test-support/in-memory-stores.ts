import { linkKey } from "@kurt/core/link-domain";
import type { ApiKey, ApiKeyStore } from "../domain/api-key.js";
import type { Link, LinkId, NewLink } from "../domain/link.js";
import type { LinkStore } from "../domain/link-ports.js";

/**
 * Stores in memory, for unit tests of the gRPC layer that need no stack:
 * what is under test there is the order of checks (key, budget, input)
 * and that a refused call writes nothing, not the SQL. `writes` lists every
 * write in order.
 */
export function createInMemoryLinkStore(now: () => Date) {
  // Keyed by @kurt/core's linkKey: the bare code for the default domain, as the writes list shows it.
  const links = new Map<string, Link>();
  const writes: string[] = [];
  const key = (id: LinkId) => linkKey(id.domain, id.code);
  const store: LinkStore = {
    async insert(draft: NewLink) {
      if (links.has(key(draft))) return undefined;
      writes.push(`insert ${key(draft)}`);
      const link: Link = { ...draft, visits: 0, disabled: false, deletedAt: null, createdAt: now(), updatedAt: now() };
      links.set(key(link), link);
      return link;
    },
    async find(id) {
      return links.get(key(id));
    },
    async list() {
      return [];
    },
    async update(id, changes) {
      const current = links.get(key(id));
      if (current === undefined || current.deletedAt !== null) return undefined;
      writes.push(`update ${key(id)}`);
      const link: Link = { ...current, ...changes, updatedAt: now() };
      links.set(key(id), link);
      return link;
    },
    async markDeleted(id) {
      const current = links.get(key(id));
      if (current === undefined || current.deletedAt !== null) return undefined;
      writes.push(`delete ${key(id)}`);
      const link: Link = { ...current, deletedAt: now() };
      links.set(key(id), link);
      return link;
    },
  };
  return { store, writes, links };
}

export function createInMemoryApiKeyStore(now: () => Date) {
  const byHash = new Map<string, ApiKey>();
  const writes: string[] = [];
  const store: ApiKeyStore = {
    async insert(key) {
      writes.push(`insert ${key.id}`);
      const stored: ApiKey = {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        scopes: key.scopes,
        createdAt: now(),
        revokedAt: null,
      };
      byHash.set(key.secretHash.toString("hex"), stored);
      return stored;
    },
    async findBySecretHash(hash) {
      return byHash.get(hash.toString("hex"));
    },
    async list() {
      return [];
    },
    async revoke(id) {
      for (const [hash, key] of byHash) {
        if (key.id !== id) continue;
        writes.push(`revoke ${id}`);
        const revoked: ApiKey = { ...key, revokedAt: key.revokedAt ?? now() };
        byHash.set(hash, revoked);
        return revoked;
      }
      return undefined;
    },
  };
  return { store, writes };
}
