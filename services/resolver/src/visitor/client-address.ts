import { isIP } from "node:net";

/** Set by the public listener (use_remote_address) from the TCP peer, replacing whatever a client sent. */
export const EXTERNAL_ADDRESS_HEADER = "x-envoy-external-address";
export const FORWARDED_FOR_HEADER = "x-forwarded-for";

/** A bare IP address (no port, no brackets, IPv4-mapped IPv6 unwrapped), or "" when it is not one. */
export function normaliseAddress(raw: string): string {
  let value = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1] as string;
  else if (/^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1] as string;
  return isIP(value) === 0 ? "" : value.toLowerCase();
}

/**
 * The visitor's IP address as the gateway saw it. What Envoy sends
 * (measured on the local stack, Envoy 1.3x, public listener with
 * use_remote_address):
 *   - x-envoy-external-address: the TCP peer, always; a client's own value is
 *     overwritten. This is the address used.
 *   - x-forwarded-for: the client's list plus one entry Envoy appends; for a
 *     peer on 127.0.0.1 that entry is the machine's own interface address,
 *     not the peer's, so it is only the fallback.
 * The internal gRPC listener passes x-forwarded-for untouched and sets no
 * external address: there the last entry is what the internal caller (a
 * trusted proxy) asserts about its own client.
 */
export function clientAddress(header: (name: string) => string | undefined): string {
  const external = normaliseAddress(header(EXTERNAL_ADDRESS_HEADER) ?? "");
  if (external !== "") return external;
  const forwarded = (header(FORWARDED_FOR_HEADER) ?? "").split(",");
  return normaliseAddress(forwarded[forwarded.length - 1] ?? "");
}
