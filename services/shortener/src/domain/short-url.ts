/** The short URL of a code under the installation's public URL: the Link's `shortUrl`, and what a QR code encodes. */
export function shortUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/${code}`;
}
