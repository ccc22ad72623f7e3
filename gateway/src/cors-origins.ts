/**
 * KURT_CORS_ORIGINS: a comma-separated list of browser origins allowed to
 * call the REST API cross-origin, each exactly `http(s)://host[:port]` as a
 * browser sends it in `Origin`. Empty or unset: none (the dashboard is served
 * from the gateway's own origin and needs no CORS).
 */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const origin of origins) {
    let canonical: string | undefined;
    try {
      canonical = new URL(origin).origin;
    } catch {}
    if (canonical !== origin || !/^https?:\/\//.test(origin))
      throw new Error(
        `KURT_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin; expected http(s)://host[:port] in lower case, without a path or a trailing slash`,
      );
  }
  return origins;
}
