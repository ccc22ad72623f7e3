import {
  LOCATION_KEY,
  NO_CLICK_KEY,
  REDIRECT_STATUS_KEY,
  type ResolveRequest,
  ResolveResponse,
  type ResolverServiceServer,
} from "@kurt/contract";
import { type Logger, unary } from "@kurt/platform";
import type { ClickRecorder } from "../domain/click.js";
import type { DomainDirectory } from "../domain/domain-directory.js";
import type { LinkResolver } from "../domain/link-resolver.js";
import { toLookupLayerMessage } from "../messages/lookup-layer-message.js";
import { clickFacts } from "../visitor/click-facts.js";
import { asciiHeaderValue } from "../visitor/header-value.js";

/**
 * kurt.v1.ResolverService, for internal gRPC clients and the SDKs (the
 * public redirect is served by http/redirect-handler.ts). The redirect
 * travels in the message and, as the contract has always said, as the
 * `location` and `x-kurt-redirect-status` response metadata.
 */
export function createResolverService(deps: {
  resolver: LinkResolver;
  domains: Pick<DomainDirectory, "domainNamed">;
  clicks: ClickRecorder;
  logger: Logger;
}): ResolverServiceServer {
  return {
    resolve: unary(deps.logger, async (request: ResolveRequest, ctx) => {
      const domain = deps.domains.domainNamed(request.domain);
      const redirect = await deps.resolver.resolve(domain, request.code);
      ctx.setResponseHeader(LOCATION_KEY, asciiHeaderValue(redirect.url));
      ctx.setResponseHeader(REDIRECT_STATUS_KEY, String(redirect.redirectStatus));
      // Only a redirect counts (an unknown or gone link threw above), and not
      // a call that asked only where the code goes. Recording only queues the
      // click: sending it happens later, off this call's path.
      if (ctx.header(NO_CLICK_KEY) !== "1")
        deps.clicks.record(clickFacts({ domain, code: request.code }, redirect, ctx.header));
      return ResolveResponse.fromPartial({
        url: redirect.url,
        redirectStatus: redirect.redirectStatus,
        servedBy: toLookupLayerMessage(redirect.servedBy),
      });
    }),
  };
}
