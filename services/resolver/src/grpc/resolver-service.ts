import {
  LOCATION_KEY,
  NO_CLICK_KEY,
  REDIRECT_STATUS_KEY,
  type ResolveRequest,
  ResolveResponse,
  type ResolverServiceServer,
} from "@kurt/contract";
import { type CallContext, type Logger, unary } from "@kurt/platform";
import type { ClickFacts } from "../domain/click.js";
import type { LinkResolver, Redirect } from "../domain/link-resolver.js";
import { toLookupLayerMessage } from "../messages/lookup-layer-message.js";
import { clientAddress } from "./client-address.js";
import { asciiHeaderValue } from "./header-value.js";

/** Where a counted redirect goes; recording is synchronous and never fails the call. */
export interface ClickRecorder {
  record(facts: ClickFacts): void;
}

/**
 * A header can be as large as Envoy allows (tens of KiB); the queue holds up
 * to KURT_CLICK_QUEUE_MAX clicks, so each stored header is capped. Real user
 * agents and referrers are far shorter.
 */
export const MAX_USER_AGENT_CHARS = 512;
export const MAX_REFERRER_CHARS = 1_024;

function clickOf(code: string, redirect: Redirect, ctx: CallContext): ClickFacts {
  return {
    code,
    referrer: (ctx.header("referer") ?? "").slice(0, MAX_REFERRER_CHARS),
    userAgent: (ctx.header("user-agent") ?? "").slice(0, MAX_USER_AGENT_CHARS),
    clientAddress: clientAddress(ctx.header),
    redirectStatus: redirect.redirectStatus,
    servedBy: redirect.servedBy,
    requestId: ctx.requestId ?? "",
  };
}

/**
 * kurt.v1.ResolverService. The redirect travels twice: in the message for
 * gRPC clients, and as response metadata that the gateway turns into the
 * HTTP status and Location header (the transcoder itself always answers 200).
 */
export function createResolverService(deps: {
  resolver: LinkResolver;
  clicks: ClickRecorder;
  logger: Logger;
}): ResolverServiceServer {
  return {
    resolve: unary(deps.logger, async (request: ResolveRequest, ctx) => {
      const redirect = await deps.resolver.resolve(request.code);
      ctx.setResponseHeader(LOCATION_KEY, asciiHeaderValue(redirect.url));
      ctx.setResponseHeader(REDIRECT_STATUS_KEY, String(redirect.redirectStatus));
      // Only a redirect counts (an unknown or gone link threw above), and not
      // a HEAD, which the gateway turned into a GET marked no-click. Recording
      // only queues the click: sending it happens later, off this call's path.
      if (ctx.header(NO_CLICK_KEY) !== "1") deps.clicks.record(clickOf(request.code, redirect, ctx));
      return ResolveResponse.fromPartial({
        url: redirect.url,
        redirectStatus: redirect.redirectStatus,
        servedBy: toLookupLayerMessage(redirect.servedBy),
      });
    }),
  };
}
