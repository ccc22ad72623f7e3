/** More proxies than this in front of one gateway is a mistake, not a topology (a CDN and a load balancer are 2). */
export const MAX_TRUSTED_PROXY_HOPS = 10;

/**
 * KURT_TRUSTED_PROXY_HOPS: how many proxies in front of the public listener
 * (a load balancer, a CDN) each append the address they received from to
 * X-Forwarded-For. Envoy then takes the visitor's address from that header,
 * that many entries from its end, instead of the TCP peer
 * (docs/adr/0029-trusted-proxy-hops.md). Unset or empty: 0, Envoy is the
 * edge and trusts no X-Forwarded-For. Set it only where clients cannot
 * reach the gateway but through those proxies: a client that can would
 * choose its own address.
 */
export function parseTrustedProxyHops(value: string | undefined): number {
  const text = (value ?? "").trim();
  if (text === "") return 0;
  const hops = /^\d{1,2}$/.test(text) ? Number(text) : Number.NaN;
  if (!(hops <= MAX_TRUSTED_PROXY_HOPS))
    throw new Error(
      `KURT_TRUSTED_PROXY_HOPS: ${JSON.stringify(text)} is not a number of proxies; expected a whole number from 0 to ${MAX_TRUSTED_PROXY_HOPS}`,
    );
  return hops;
}
