import { linkKey } from "@kurt/core/link-domain";
import { alreadyExists, invalidArgument, notFound, unavailable } from "@kurt/platform/errors";
import type { Link, LinkChanges, LinkId, NewLink } from "./link.js";
import { validateCustomCode, validateLookupCode } from "./link-code.js";
import type { LinkDomains } from "./link-domains.js";
import {
  validateCacheSeconds,
  validateExpiresAt,
  validateMaxVisits,
  validatePassword,
  validateRedirectStatus,
  validateTags,
  validateTitle,
  validateValidSince,
} from "./link-fields.js";
import { filterKind, type LinkFilter, validateQuery, validateTagFilter } from "./link-filter.js";
import type { LinkCacheWriter, LinkChangeKind, LinkChangePublisher, LinkStore } from "./link-ports.js";
import { decodePageToken, encodePageToken, pageSize } from "./page-token.js";
import { validateRules } from "./redirect-rules.js";
import type { TargetUrlPolicy } from "./target-url.js";

export interface LinkServiceDeps {
  readonly store: LinkStore;
  readonly cache: LinkCacheWriter;
  readonly events: LinkChangePublisher;
  readonly targetUrl: TargetUrlPolicy;
  readonly domains: LinkDomains;
  readonly generateCode: () => string;
  /** A password's stored form: a slow salted hash (@kurt/platform/password-hash). */
  readonly hashPassword: (password: string) => Promise<string>;
  readonly now?: () => Date;
}

/** Who asks, for the record (created_by_key) and for tracing (the event's request id). */
export interface Caller {
  readonly keyId: string | null;
  readonly requestId: string | undefined;
}

export interface CreateLinkInput {
  readonly url: string;
  /** Unset: the default domain. */
  readonly domain?: string | undefined;
  readonly code?: string | undefined;
  readonly redirectStatus?: number | undefined;
  readonly cacheSeconds?: number | undefined;
  readonly expiresAt?: Date | undefined;
  readonly validSince?: Date | undefined;
  readonly forwardQuery?: boolean | undefined;
  readonly maxVisits?: number | undefined;
  readonly password?: string | undefined;
  /** Rule objects (a create's messages); each is checked as an update's would be. */
  readonly rules?: readonly unknown[] | undefined;
  readonly title?: string | undefined;
  readonly tags: readonly string[];
}

/** A link named by a call: its code and, unset for the default domain, its domain. */
export interface LinkRef {
  readonly code: string;
  readonly domain?: string | undefined;
}

export interface UpdateLinkInput {
  readonly code: string;
  readonly domain?: string | undefined;
  readonly url?: string | undefined;
  readonly redirectStatus?: number | undefined;
  readonly cacheSeconds?: number | undefined;
  readonly expiresAt?: Date | undefined;
  readonly clearExpiresAt: boolean;
  readonly validSince?: Date | undefined;
  /** True removes the start (unset: false). */
  readonly clearValidSince?: boolean | undefined;
  readonly forwardQuery?: boolean | undefined;
  readonly maxVisits?: number | undefined;
  /** True removes the cap (unset: false). */
  readonly clearMaxVisits?: boolean | undefined;
  /** "" removes the password. */
  readonly password?: string | undefined;
  /** Any JSON values: the update's ListValue; each must be a rule object. [] removes every rule. */
  readonly rules?: readonly unknown[] | undefined;
  readonly disabled?: boolean | undefined;
  readonly title?: string | undefined;
  /** Any JSON values: the update's ListValue; each must be a tag string. */
  readonly tags?: readonly unknown[] | undefined;
}

export interface LinkPage {
  readonly links: readonly Link[];
  /** Empty when there is no further page. */
  readonly nextPageToken: string;
}

export interface LinkService {
  createLink(input: CreateLinkInput, caller: Caller): Promise<Link>;
  getLink(ref: LinkRef): Promise<Link>;
  listLinks(request: {
    pageSize: number;
    pageToken: string;
    domain?: string | undefined;
    query?: string | undefined;
    tag?: string | undefined;
  }): Promise<LinkPage>;
  updateLink(input: UpdateLinkInput, caller: Caller): Promise<Link>;
  deleteLink(ref: LinkRef, caller: Caller): Promise<void>;
  /** Waits for the cache writes and events of creates that already answered (at shutdown, before the producer closes). */
  settle(): Promise<void>;
}

/** With 62^7 codes a second collision in a row means something is wrong, not bad luck. */
const GENERATED_CODE_ATTEMPTS = 5;
const PAGE_KIND = "links";
/** A page token's key: @kurt/core's linkKey of the last link sent. */
const PAGE_KEY_PATTERN = /^(?:[a-z0-9.-]{1,253}\/)?[A-Za-z0-9_-]{3,64}$/;

const describe = (id: LinkId) => `link "${linkKey(id.domain, id.code)}"`;

/**
 * The write side of links. Input is validated completely before anything is
 * written, so bad input changes nothing. Each write is one statement on the
 * primary (concurrent creates may share one: see the store); only after it
 * committed are the Redis copy and the Kafka event sent, and neither can
 * fail the call: Postgres is the truth.
 *
 * An update or a delete answers once Redis holds the new version, so that no
 * resolver serves the old one from there afterwards. A create answers at the
 * commit: Redis cannot hold an older version of a new link, and a resolver
 * that misses it there reads the primary, so the link redirects at once
 * either way; its cache write and event follow in the background.
 */
export function createLinkService(deps: LinkServiceDeps): LinkService {
  const now = deps.now ?? (() => new Date());

  const afterCommit = async (kind: LinkChangeKind, link: Link, caller: Caller) => {
    // Redis first: a resolver that drops its copy on the event must find the new entry, not the old one.
    await deps.cache.write(link);
    deps.events.publish({ kind, link, requestId: caller.requestId });
  };

  const settling = new Set<Promise<void>>();
  const afterCreate = (link: Link, caller: Caller) => {
    // Neither the cache writer nor the publisher rejects; the catch only keeps a bug from going unhandled.
    const work: Promise<void> = afterCommit("created", link, caller)
      .catch(() => {})
      .finally(() => settling.delete(work));
    settling.add(work);
  };

  const lookup = (ref: LinkRef): LinkId => ({
    domain: deps.domains.forLookup(ref.domain),
    code: validateLookupCode(ref.code),
  });

  const insertWithGeneratedCode = async (draft: Omit<NewLink, "code">) => {
    for (let attempt = 1; attempt <= GENERATED_CODE_ATTEMPTS; attempt++) {
      const link = await deps.store.insert({ ...draft, code: deps.generateCode() });
      if (link !== undefined) return link;
    }
    throw unavailable(`no free code after ${GENERATED_CODE_ATTEMPTS} attempts; try again`);
  };

  return {
    async createLink(input, caller) {
      const code = input.code === undefined ? undefined : validateCustomCode(input.code);
      const expiresAt = input.expiresAt === undefined ? null : validateExpiresAt(input.expiresAt, now());
      const draft = {
        domain: await deps.domains.forCreate(input.domain),
        url: deps.targetUrl(input.url),
        redirectStatus: validateRedirectStatus(input.redirectStatus),
        cacheSeconds: validateCacheSeconds(input.cacheSeconds),
        expiresAt,
        validSince: input.validSince === undefined ? null : validateValidSince(input.validSince, now(), expiresAt),
        forwardQuery: input.forwardQuery ?? false,
        maxVisits: input.maxVisits === undefined ? null : validateMaxVisits(input.maxVisits),
        rules: validateRules(input.rules ?? [], deps.targetUrl),
        title: input.title === undefined ? null : validateTitle(input.title),
        tags: validateTags(input.tags),
        createdByKey: caller.keyId,
      };
      // Hashed last: everything else is checked before the slow part runs.
      const passwordHash =
        input.password === undefined ? null : await deps.hashPassword(validatePassword(input.password));
      let link: Link;
      if (code === undefined) {
        link = await insertWithGeneratedCode({ ...draft, passwordHash });
      } else {
        const inserted = await deps.store.insert({ ...draft, passwordHash, code });
        if (inserted === undefined)
          throw alreadyExists(
            "code",
            draft.domain === "" ? `"${code}" is already taken` : `"${code}" is already taken on ${draft.domain}`,
          );
        link = inserted;
      }
      afterCreate(link, caller);
      return link;
    },

    async getLink(ref) {
      const id = lookup(ref);
      const link = await deps.store.find(id);
      if (link === undefined || link.deletedAt !== null) throw notFound(describe(id));
      return link;
    },

    async listLinks(request) {
      const limit = pageSize(request.pageSize);
      const filter: { -readonly [K in keyof LinkFilter]: LinkFilter[K] } = {};
      if (request.domain !== undefined) filter.domain = deps.domains.forLookup(request.domain);
      if (request.query !== undefined) filter.query = validateQuery(request.query);
      if (request.tag !== undefined) filter.tag = validateTagFilter(request.tag);
      // A token is good only for the listing (and filters) that made it.
      const kind = filterKind(PAGE_KIND, filter);
      const after =
        request.pageToken === ""
          ? undefined
          : (() => {
              const position = decodePageToken(kind, request.pageToken, PAGE_KEY_PATTERN);
              const slash = position.key.lastIndexOf("/");
              return {
                createdAtMicros: position.createdAtMicros,
                domain: slash === -1 ? "" : position.key.slice(0, slash),
                code: position.key.slice(slash + 1),
              };
            })();
      // One row more than asked tells whether another page exists without a count.
      const rows = await deps.store.list(limit + 1, after, filter);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        links: page.map((row) => row.link),
        nextPageToken:
          rows.length > limit && last !== undefined
            ? encodePageToken(kind, {
                createdAtMicros: last.position.createdAtMicros,
                key: linkKey(last.position.domain, last.position.code),
              })
            : "",
      };
    },

    async updateLink(input, caller) {
      const id = lookup(input);
      if (input.clearExpiresAt && input.expiresAt !== undefined)
        throw invalidArgument("expiresAt", "cannot be set together with clearExpiresAt");
      if (input.clearValidSince && input.validSince !== undefined)
        throw invalidArgument("validSince", "cannot be set together with clearValidSince");
      if (input.clearMaxVisits && input.maxVisits !== undefined)
        throw invalidArgument("maxVisits", "cannot be set together with clearMaxVisits");
      const changes: { -readonly [K in keyof LinkChanges]: LinkChanges[K] } = {};
      if (input.url !== undefined) changes.url = deps.targetUrl(input.url);
      if (input.redirectStatus !== undefined) changes.redirectStatus = validateRedirectStatus(input.redirectStatus);
      if (input.cacheSeconds !== undefined) changes.cacheSeconds = validateCacheSeconds(input.cacheSeconds);
      if (input.expiresAt !== undefined) changes.expiresAt = validateExpiresAt(input.expiresAt, now());
      if (input.clearExpiresAt) changes.expiresAt = null;
      // Checked against the new expiry when one is sent; the store refuses a start at or after the stored one.
      if (input.validSince !== undefined)
        changes.validSince = validateValidSince(input.validSince, now(), changes.expiresAt ?? null);
      if (input.clearValidSince) changes.validSince = null;
      if (input.forwardQuery !== undefined) changes.forwardQuery = input.forwardQuery;
      if (input.maxVisits !== undefined) changes.maxVisits = validateMaxVisits(input.maxVisits);
      if (input.clearMaxVisits) changes.maxVisits = null;
      if (input.rules !== undefined) changes.rules = validateRules(input.rules, deps.targetUrl);
      const password =
        input.password === undefined || input.password === "" ? undefined : validatePassword(input.password);
      if (input.password === "") changes.passwordHash = null;
      if (input.disabled !== undefined) changes.disabled = input.disabled;
      if (input.title !== undefined) changes.title = validateTitle(input.title);
      if (input.tags !== undefined) changes.tags = validateTags(input.tags);
      if (password !== undefined) changes.passwordHash = await deps.hashPassword(password);
      if (Object.keys(changes).length === 0) {
        // Nothing to change: answer the link as it is, and write nothing.
        const current = await deps.store.find(id);
        if (current === undefined || current.deletedAt !== null) throw notFound(describe(id));
        return current;
      }
      const link = await deps.store.update(id, changes);
      if (link === undefined) throw notFound(describe(id));
      await afterCommit("updated", link, caller);
      return link;
    },

    async deleteLink(ref, caller) {
      const id = lookup(ref);
      const link = await deps.store.markDeleted(id);
      if (link === undefined) throw notFound(describe(id));
      await afterCommit("deleted", link, caller);
    },

    async settle() {
      while (settling.size > 0) await Promise.all(settling);
    },
  };
}
