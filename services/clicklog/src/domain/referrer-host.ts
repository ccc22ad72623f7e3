import { DIRECT, UNKNOWN } from "./click.js";

const MAX_HOST_LENGTH = 253 + 6; // a DNS name plus ":port"

/**
 * The host (with a non-default port) of a Referer header, lower case:
 * "https://News.Example.com/a?b" → "news.example.com". No Referer is a
 * direct visit; a value that is no URL with a host is "unknown" rather than
 * stored as sent, since it is client-controlled text.
 */
export function referrerHost(referrer: string): string {
  const trimmed = referrer.trim();
  if (trimmed === "") return DIRECT;
  let host: string;
  try {
    host = new URL(trimmed).host.toLowerCase();
  } catch {
    return UNKNOWN;
  }
  if (host === "" || host.length > MAX_HOST_LENGTH) return UNKNOWN;
  return host;
}
