/**
 * gRPC metadata values must be printable ASCII, or grpc-js refuses the whole
 * answer. Stored URLs are normalised by the shortener, but a non-ASCII
 * character that slipped through is percent-encoded here (as a browser would
 * when following it) rather than failing the redirect.
 */
export function asciiHeaderValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : value.replace(/[^\x20-\x7e]/gu, (c) => encodeURIComponent(c));
}
