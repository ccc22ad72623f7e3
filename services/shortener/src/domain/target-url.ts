import { invalidArgument } from "@kurt/platform/errors";

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
  /** More hosts that serve Kurt's short links ("host" or "host:port"; the port is ignored). */
  readonly shortDomains?: readonly string[];
  /** The domains configured through DomainService as this replica knows them now (lowercase host names). */
  readonly configuredDomains?: () => ReadonlySet<string>;
}

/** Validates a target URL and answers its normalised form (the string stored). */
export type TargetUrlPolicy = (raw: string, field?: string) => string;

/**
 * A host name as a resolver would read it: without trailing dots (`a.example.`
 * and `a.example..` name `a.example`), and then parsed again so that an IPv4
 * address hiding behind the dots (`0x7f.1..`) takes its canonical form. The
 * WHATWG parser has already lowercased the name and canonicalised the other
 * IPv4 spellings (`2130706433`, `0177.0.0.1`, `127.1`, `0`) and IPv6.
 */
function canonicalHostname(hostname: string): string {
  const bare = hostname.replace(/\.+$/, "");
  if (bare === hostname || bare === "") return hostname;
  try {
    return new URL(`http://${bare}/`).hostname;
  } catch {
    return bare;
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The eight 16-bit pieces of a bracketed IPv6 hostname as the WHATWG parser prints it (hex, `::` compressed). */
function ipv6Pieces(hostname: string): number[] | undefined {
  if (!hostname.startsWith("[") || !hostname.endsWith("]")) return undefined;
  const [head = "", tail] = hostname.slice(1, -1).split("::");
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((piece) => Number.parseInt(piece, 16)));
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  const pieces = [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
  return pieces.length === 8 && pieces.every((piece) => piece >= 0 && piece <= 0xffff) ? pieces : undefined;
}

/**
 * The IPv4 address a canonical hostname reaches: its own, or the one inside
 * an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`) IPv6
 * address, which the operating system delivers to that IPv4 address.
 */
function ipv4Of(hostname: string): string | undefined {
  if (IPV4.test(hostname)) return hostname;
  const pieces = ipv6Pieces(hostname);
  if (pieces === undefined) return undefined;
  const prefixIsZero = pieces.slice(0, 5).every((piece) => piece === 0);
  if (!prefixIsZero || (pieces[5] !== 0 && pieces[5] !== 0xffff)) return undefined;
  const [high = 0, low = 0] = pieces.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** What a canonical hostname is compared by: the name itself, and the IPv4 address an IPv6 one embeds. */
function hostIdentities(canonical: string): string[] {
  const ipv4 = ipv4Of(canonical);
  return ipv4 === undefined || ipv4 === canonical ? [canonical] : [canonical, ipv4];
}

/**
 * Why a canonical hostname reaches the machine that asks for it, whatever
 * the port: from a resolver (or a browser on Kurt's host) such a target is
 * Kurt itself or its neighbours, and two links there can redirect to each
 * other forever. `localhost` and `*.localhost` are loopback by RFC 6761.
 */
function selfAddressKind(hostname: string): string | undefined {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return "a loopback host";
  if (hostname === "[::1]") return "a loopback address";
  const ipv4 = ipv4Of(hostname);
  if (ipv4 === undefined) return undefined;
  const first = Number(ipv4.split(".")[0]);
  if (first === 127) return "a loopback address";
  if (first === 0) return "an unspecified address";
  return undefined;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * The URL rules of DESIGN.md §2: absolute http(s) only, at most 8,192
 * characters, a host, internationalised hosts in punycode (the WHATWG
 * parser does this, so the normalised href is stored), and no loop back to
 * Kurt: no host Kurt answers for, at any port and in any spelling, and no
 * loopback or unspecified address (`localhost`, 127.0.0.0/8, 0.0.0.0/8,
 * `::1`, `::` and the IPv6 forms embedding those). Credentials in the URL (`https://bank.example@evil.example`) are
 * refused too: they are a phishing device and no redirect target needs them.
 */
export function createTargetUrlPolicy(options: TargetUrlPolicyOptions): TargetUrlPolicy {
  // Hosts, not host:port: another port of a host Kurt answers on may be Kurt too (a second listener, a
  // proxy in front), and a short domain configured with one port is reachable on the others just as well.
  const ownHosts = new Set<string>(hostIdentities(canonicalHostname(new URL(options.publicUrl).hostname)));
  for (const entry of options.shortDomains ?? []) {
    let parsed: URL | undefined;
    try {
      if (/^[^/@?#\s]+$/.test(entry)) parsed = new URL(`http://${entry}`);
    } catch {}
    if (parsed === undefined) throw new Error(`short domain ${JSON.stringify(entry)} must be a host or host:port`);
    for (const identity of hostIdentities(canonicalHostname(parsed.hostname))) ownHosts.add(identity);
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
    const hostname = canonicalHostname(url.hostname);
    const configured = options.configuredDomains?.();
    if (hostIdentities(hostname).some((identity) => ownHosts.has(identity) || configured?.has(identity) === true))
      throw invalidArgument(field, `points at Kurt's own short links (${url.host}); that would be a redirect loop`);
    const self = selfAddressKind(hostname);
    if (self !== undefined)
      throw invalidArgument(
        field,
        `points at ${self} (${url.host}), which can be Kurt itself; that would be a redirect loop`,
      );
    const normalised = url.href;
    if (normalised.length > MAX_URL_LENGTH)
      throw invalidArgument(
        field,
        `longer than ${MAX_URL_LENGTH} characters once normalised (${normalised.length}; punycode and percent-encoding add characters)`,
      );
    return normalised;
  };
}
