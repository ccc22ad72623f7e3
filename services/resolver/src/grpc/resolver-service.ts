import {
  LOCATION_KEY,
  LookupLayer,
  REDIRECT_STATUS_KEY,
  type ResolveRequest,
  ResolveResponse,
  type ResolverServiceServer,
} from "@kurt/contract";
import { type Logger, unary } from "@kurt/platform";
import type { LinkResolver } from "../domain/link-resolver.js";
import type { LookupLayer as DomainLayer } from "../domain/lookup-layer.js";
import { asciiHeaderValue } from "./header-value.js";

const SERVED_BY: Record<DomainLayer, LookupLayer> = {
  memory: LookupLayer.LOOKUP_LAYER_MEMORY,
  redis: LookupLayer.LOOKUP_LAYER_REDIS,
  replica: LookupLayer.LOOKUP_LAYER_REPLICA,
  primary: LookupLayer.LOOKUP_LAYER_PRIMARY,
};

/**
 * kurt.v1.ResolverService. The redirect travels twice: in the message for
 * gRPC clients, and as response metadata that the gateway turns into the
 * HTTP status and Location header (the transcoder itself always answers 200).
 */
export function createResolverService(deps: { resolver: LinkResolver; logger: Logger }): ResolverServiceServer {
  return {
    resolve: unary(deps.logger, async (request: ResolveRequest, ctx) => {
      const redirect = await deps.resolver.resolve(request.code);
      ctx.setResponseHeader(LOCATION_KEY, asciiHeaderValue(redirect.url));
      ctx.setResponseHeader(REDIRECT_STATUS_KEY, String(redirect.redirectStatus));
      // Clicks (issue 4) are handed to the click producer here, after the
      // answer is known and never awaited, unless ctx.header(NO_CLICK_KEY)
      // is "1": a HEAD the gateway turned into a GET counts no click.
      return ResolveResponse.fromPartial({
        url: redirect.url,
        redirectStatus: redirect.redirectStatus,
        servedBy: SERVED_BY[redirect.servedBy],
      });
    }),
  };
}
