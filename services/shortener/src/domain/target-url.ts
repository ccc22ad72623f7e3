import { invalidArgument } from "@kurt/platform";

export const MAX_URL_LENGTH = 8192;

// Controls (C0, C1, DEL), every kind of Unicode space and the invisible
// format characters (zero-width spaces, bidi overrides that disguise a
// host). The WHATWG parser would silently drop tabs and newlines and trim
// spaces, storing something other than what the client sent; refusing them
// is clearer.
const CONTROL_OR_SPACE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

// The parser is lenient about `http:/x`, `http:x`, `http:///x` and
// `http:\\x` (it reads a host into all of them); a target must spell out
// `scheme://host` so that what is stored is what was meant.
const SCHEME_AND_SLASHES = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?![/\\])/;

export interface TargetUrlPolicyOptions {
  /** Kurt's own public base URL: short links live on its host. */
  readonly publicUrl: string;
  /** More hosts that serve Kurt's short links ("host" or "host:port"). */
  readonly shortDomains?: readonly string[];
}

/** Validates a target URL and answers its normalised form (the string stored). */
export type TargetUrlPolicy = (raw: string, field?: string) => string;

const withoutTrailingDot = (hostname: string) => hostname.replace(/\.$/, "");
// "host:port" (the port only when not the scheme's default), with `example.com.` and `example.com` the same host.
const hostKey = (url: URL) => withoutTrailingDot(url.hostname) + (url.port === "" ? "" : `:${url.port}`);

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * The URL rules of DESIGN.md §2: absolute http(s) only, at most 8,192
 * characters, a host, internationalised hosts in punycode (the WHATWG
 * parser does this, so the normalised href is stored), and no loop back to
 * Kurt. Credentials in the URL (`https://bank.example@evil.example`) are
 * refused too: they are a phishing device and no redirect target needs them.
 */
export function createTargetUrlPolicy(options: TargetUrlPolicyOptions): TargetUrlPolicy {
  const ownHosts = new Set<string>();
  const ownHostnames = new Set<string>();
  const publicUrl = new URL(options.publicUrl);
  ownHosts.add(hostKey(publicUrl));
  for (const entry of options.shortDomains ?? []) {
    let parsed: URL | undefined;
    try {
      if (/^[^/@?#\s]+$/.test(entry)) parsed = new URL(`http://${entry}`);
    } catch {}
    if (parsed === undefined) throw new Error(`short domain ${JSON.stringify(entry)} must be a host or host:port`);
    if (/:\d+$/.test(entry)) ownHosts.add(hostKey(parsed));
    else ownHostnames.add(withoutTrailingDot(parsed.hostname));
  }

  return (raw, field = "url") => {
    if (raw === "") throw invalidArgument(field, "required");
    if (raw.length > MAX_URL_LENGTH)
      throw invalidArgument(field, `longer than ${MAX_URL_LENGTH} characters (${raw.length})`);
    const bad = CONTROL_OR_SPACE.exec(raw);
    if (bad)
      throw invalidArgument(
        field,
        `contains a control or whitespace character (${describeChar(bad[0])}) at position ${bad.index}; percent-encode it`,
      );
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      if (/^https?:\/*([/?#]|$)/i.test(raw)) throw invalidArgument(field, "a host is required");
      throw invalidArgument(field, "not an absolute URL (expected http://host/… or https://host/…)");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw invalidArgument(field, `scheme must be http or https, got ${url.protocol}`);
    if (!SCHEME_AND_SLASHES.test(raw)) throw invalidArgument(field, `must start with ${url.protocol}// and the host`);
    if (url.hostname === "") throw invalidArgument(field, "a host is required");
    if (url.username !== "" || url.password !== "")
      throw invalidArgument(field, "must not contain a user name or password (user:password@host)");
    if (ownHosts.has(hostKey(url)) || ownHostnames.has(withoutTrailingDot(url.hostname)))
      throw invalidArgument(field, `points at Kurt's own short links (${url.host}); that would be a redirect loop`);
    const normalised = url.href;
    if (normalised.length > MAX_URL_LENGTH)
      throw invalidArgument(
        field,
        `longer than ${MAX_URL_LENGTH} characters once normalised (${normalised.length}; punycode and percent-encoding add characters)`,
      );
    return normalised;
  };
}
