import type { Link as LinkMessage } from "@kurt/contract";
import type { Link } from "../domain/link.js";
import { shortUrl } from "../domain/short-url.js";

/** The public form of a link (the `Link` of DESIGN.md §2), as gRPC answers and link events carry it. */
export function toLinkMessage(link: Link, publicUrl: string): LinkMessage {
  return {
    code: link.code,
    shortUrl: shortUrl(publicUrl, link.code),
    url: link.url,
    redirectStatus: link.redirectStatus,
    cacheSeconds: link.cacheSeconds,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    expiresAt: link.expiresAt ?? undefined,
    disabled: link.disabled,
    title: link.title ?? undefined,
    tags: [...link.tags],
  };
}
