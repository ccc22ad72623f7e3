import { DEFAULT_DOMAIN } from "@kurt/core/link-domain";

/**
 * The short URL of a code: under the installation's public URL for the
 * default domain, under `scheme://domain/` (the public URL's scheme) for
 * another. The Link's `shortUrl`, and what a QR code encodes.
 */
export function shortUrl(publicUrl: string, code: string, domain: string = DEFAULT_DOMAIN): string {
  if (domain === DEFAULT_DOMAIN) return `${publicUrl.replace(/\/+$/, "")}/${code}`;
  return `${new URL(publicUrl).protocol}//${domain}/${code}`;
}
