import type { Link as LinkMessage } from "@kurt/contract";
import { publicDomainName } from "@kurt/core/link-domain";
import type { Link } from "../domain/link.js";
import { shortUrl } from "../domain/short-url.js";

/** The public form of a link (the `Link` of DESIGN.md §2), as gRPC answers and link events carry it. */
export function toLinkMessage(link: Link, publicUrl: string): LinkMessage {
  return {
    code: link.code,
    domain: publicDomainName(link.domain, new URL(publicUrl).host),
    shortUrl: shortUrl(publicUrl, link.code, link.domain),
    url: link.url,
    redirectStatus: link.redirectStatus,
    cacheSeconds: link.cacheSeconds,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    expiresAt: link.expiresAt ?? undefined,
    validSince: link.validSince ?? undefined,
    forwardQuery: link.forwardQuery,
    disabled: link.disabled,
    title: link.title ?? undefined,
    tags: [...link.tags],
    maxVisits: link.maxVisits ?? undefined,
    visits: link.visits,
    passwordProtected: link.passwordHash !== null,
    rules: link.rules.map((rule) => ({
      device: rule.device,
      country: rule.country,
      language: rule.language,
      query: rule.query === undefined ? undefined : { name: rule.query.name, value: rule.query.value },
      url: rule.url,
    })),
  };
}
