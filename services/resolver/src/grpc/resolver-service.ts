import {
  LOCATION_KEY,
  NO_CLICK_KEY,
  REDIRECT_STATUS_KEY,
  type ResolveRequest,
  ResolveResponse,
  type ResolverServiceServer,
} from "@kurt/contract";
import { type Logger, unary } from "@kurt/platform";
import { permissionDenied } from "@kurt/platform/errors";
import type { ClickRecorder } from "../domain/click.js";
import type { DomainDirectory } from "../domain/domain-directory.js";
import type { LinkResolver } from "../domain/link-resolver.js";
import type { RuleTarget } from "../domain/rule-target.js";
import { passVisitCap, type VisitCounter } from "../domain/visit-gate.js";
import { toLookupLayerMessage } from "../messages/lookup-layer-message.js";
import { clickFacts } from "../visitor/click-facts.js";
import { asciiHeaderValue } from "../visitor/header-value.js";
import { isPrefetch } from "../visitor/prefetch.js";

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
  visits: VisitCounter;
  ruleTarget: RuleTarget;
  logger: Logger;
}): ResolverServiceServer {
  return {
    resolve: unary(deps.logger, async (request: ResolveRequest, ctx) => {
      const domain = deps.domains.domainNamed(request.domain);
      const found = await deps.resolver.resolve(domain, request.code);
      // The password is given in the redirect's form; a call has no way to give it.
      if (found.passwordHash !== null)
        throw permissionDenied("link is password protected: its visitors give the password in the redirect's form");
      const counted = ctx.header(NO_CLICK_KEY) !== "1";
      if (found.maxVisits !== null) {
        // The caller decides: a counted call is a visit, a no-click call (x-kurt-no-click) only checks.
        // (grpc-js appends its own token to every user agent, which bot lists take for a bot.)
        await passVisitCap(deps.visits, { domain, code: request.code }, found, counted && !isPrefetch(ctx.header));
      }
      const url =
        found.rules.length === 0
          ? found.url
          : (deps.ruleTarget(found, { header: ctx.header, url: `/${request.code}` }) ?? found.url);
      const redirect = url === found.url ? found : { ...found, url };
      ctx.setResponseHeader(LOCATION_KEY, asciiHeaderValue(redirect.url));
      ctx.setResponseHeader(REDIRECT_STATUS_KEY, String(redirect.redirectStatus));
      // Only a redirect counts (an unknown or gone link threw above), and not
      // a call that asked only where the code goes. Recording only queues the
      // click: sending it happens later, off this call's path.
      if (counted) deps.clicks.record(clickFacts({ domain, code: request.code }, redirect, ctx.header));
      return ResolveResponse.fromPartial({
        url: redirect.url,
        redirectStatus: redirect.redirectStatus,
        servedBy: toLookupLayerMessage(redirect.servedBy),
      });
    }),
  };
}
