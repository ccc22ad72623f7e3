/**
 * Domains (DESIGN.md §2): links live under a domain and codes are unique per
 * domain. The default domain is the host of the installation's public URL;
 * it is stored and sent on the wire as "" (links made before domains existed
 * are all of it), so renaming the public URL moves no data. Every other
 * domain is a host name in lowercase and punycode, without a port.
 */

/** The stored and internal name of the default domain. */
export const DEFAULT_DOMAIN = "";

/** Most characters of a host name (RFC 1035). */
export const DOMAIN_MAX_LENGTH = 253;

/**
 * The key one link has in every cache, single-flight table and invalidation:
 * the bare code for the default domain (so the keys written before domains
 * existed stay valid), `domain/code` for another (a code never holds "/").
 */
export function linkKey(domain: string, code: string): string {
  return domain === DEFAULT_DOMAIN ? code : `${domain}/${code}`;
}

/** A host name as compared: lowercase, without a trailing dot. */
export function normalizeHostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** The host of a request's Host header without its port (IPv6 literals keep their brackets). */
export function hostNameOfHeader(host: string | undefined): string {
  if (host === undefined) return "";
  const end = host.startsWith("[") ? host.indexOf("]") + 1 : host.lastIndexOf(":");
  return normalizeHostName(end > 0 ? host.slice(0, end) : host);
}

/**
 * The stored domain a request names: unset, "" or the default domain's
 * public host (with or without its port) mean the default domain; anything
 * else is the name normalised, for the caller to look up.
 */
export function requestedDomain(requested: string | undefined, defaultHost: string): string {
  if (requested === undefined || requested === "") return DEFAULT_DOMAIN;
  const name = normalizeHostName(requested);
  const home = normalizeHostName(defaultHost);
  return name === home || name === hostNameOfHeader(home) ? DEFAULT_DOMAIN : name;
}

/** The domain as the contract shows it: the default domain by its public host. */
export function publicDomainName(domain: string, defaultHost: string): string {
  return domain === DEFAULT_DOMAIN ? defaultHost : domain;
}
