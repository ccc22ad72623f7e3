import type {
  CreateDomainRequest,
  DeleteDomainRequest,
  Domain as DomainMessage,
  DomainServiceServer,
  ListDomainsRequest,
  ListDomainsResponse,
  UpdateDomainRequest,
} from "@kurt/contract";
import { type Logger, unary } from "@kurt/platform";
import type { DomainService } from "../domain/domain-service.js";
import { defaultDomainMessage, toDomainMessage } from "../messages/domain-message.js";
import type { Authorize } from "./authorize.js";

/** kurt.v1.DomainService: admin keys only. */
export function createDomainServiceHandlers(deps: {
  readonly domains: DomainService;
  readonly authorize: Authorize;
  readonly publicUrl: string;
  readonly logger: Logger;
}): DomainServiceServer {
  const { domains, authorize, logger } = deps;
  return {
    createDomain: unary<CreateDomainRequest, DomainMessage>(logger, async (request, context) => {
      const caller = await authorize.write(context, "admin");
      const domain = await domains.createDomain({
        domain: request.domain,
        rootRedirect: request.rootRedirect,
        notFoundRedirect: request.notFoundRedirect,
      });
      context.logger.info("domain created", { domain: domain.name, byApiKeyId: caller.id });
      return toDomainMessage(domain);
    }),

    listDomains: unary<ListDomainsRequest, ListDomainsResponse>(logger, async (_request, context) => {
      await authorize.read(context, "admin");
      const configured = await domains.listDomains();
      return { domains: [defaultDomainMessage(deps.publicUrl), ...configured.map(toDomainMessage)] };
    }),

    updateDomain: unary<UpdateDomainRequest, DomainMessage>(logger, async (request, context) => {
      const caller = await authorize.write(context, "admin");
      const domain = await domains.updateDomain({
        domain: request.domain,
        rootRedirect: request.rootRedirect,
        notFoundRedirect: request.notFoundRedirect,
      });
      context.logger.info("domain updated", { domain: domain.name, byApiKeyId: caller.id });
      return toDomainMessage(domain);
    }),

    deleteDomain: unary<DeleteDomainRequest, DomainMessage>(logger, async (request, context) => {
      const caller = await authorize.write(context, "admin");
      const domain = await domains.deleteDomain(request.domain);
      context.logger.info("domain deleted", { domain: domain.name, byApiKeyId: caller.id });
      return toDomainMessage(domain);
    }),
  };
}
