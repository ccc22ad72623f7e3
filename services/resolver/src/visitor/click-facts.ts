import { REQUEST_ID_KEY } from "@kurt/core/headers";
import type { ClickFacts } from "../domain/click.js";
import type { Redirect } from "../domain/link-resolver.js";
import { clientAddress } from "./client-address.js";
import { isPrefetch } from "./prefetch.js";

/**
 * A header can be as large as Envoy allows (tens of KiB); the queue holds up
 * to KURT_CLICK_QUEUE_MAX clicks, so each stored header is capped. Real user
 * agents and referrers are far shorter.
 */
export const MAX_USER_AGENT_CHARS = 512;
export const MAX_REFERRER_CHARS = 1_024;

/**
 * The makings of a click from the request's headers, the same for both ways
 * in (the public HTTP redirect and gRPC Resolve): the header names are
 * HTTP's, which gRPC metadata keeps.
 */
export function clickFacts(
  link: { readonly domain: string; readonly code: string },
  redirect: Redirect,
  header: (name: string) => string | undefined,
): ClickFacts {
  return {
    domain: link.domain,
    code: link.code,
    referrer: (header("referer") ?? "").slice(0, MAX_REFERRER_CHARS),
    userAgent: (header("user-agent") ?? "").slice(0, MAX_USER_AGENT_CHARS),
    clientAddress: clientAddress(header),
    redirectStatus: redirect.redirectStatus,
    servedBy: redirect.servedBy,
    requestId: header(REQUEST_ID_KEY) ?? "",
    prefetch: isPrefetch(header),
  };
}
