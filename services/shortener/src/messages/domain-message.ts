import type { Domain as DomainMessage } from "@kurt/contract";
import type { Domain } from "../domain/domain.js";

/** A configured domain as the contract shows it. */
export function toDomainMessage(domain: Domain): DomainMessage {
  return {
    domain: domain.name,
    rootRedirect: domain.rootRedirect ?? undefined,
    notFoundRedirect: domain.notFoundRedirect ?? undefined,
    isDefault: false,
    createdAt: domain.createdAt,
  };
}

/** The default domain: the public URL's host, not stored and not managed through DomainService. */
export function defaultDomainMessage(publicUrl: string): DomainMessage {
  return {
    domain: new URL(publicUrl).host,
    rootRedirect: undefined,
    notFoundRedirect: undefined,
    isDefault: true,
    createdAt: undefined,
  };
}
