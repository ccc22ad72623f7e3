/**
 * The shape of link codes (DESIGN.md §2), shared by the shortener (which
 * creates them), the resolver and clicklog (which refuse junk before touching
 * a store), the gateway (whose own paths must never be codes) and the tests.
 * Codes are case-sensitive, but reserved words are refused in any case:
 * `/Healthz` would look like the gateway's own path.
 */

export const CODE_MIN_LENGTH = 3;
export const CODE_MAX_LENGTH = 64;

/** A custom code: 3 to 64 of [A-Za-z0-9_-]. Generated codes are a subset, so it recognises any code a client may look up. */
export const CUSTOM_CODE_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;

/**
 * The widest shape any code can have: what a reader may look up without
 * touching a store. Anything else cannot name a link, so junk from scanners
 * never reaches Postgres nor fills the caches.
 */
export const WELL_FORMED_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isWellFormedCode(code: string): boolean {
  return WELL_FORMED_CODE_PATTERN.test(code);
}

/** Generated codes: 7 characters of [0-9A-Za-z]. */
export const GENERATED_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const GENERATED_CODE_LENGTH = 7;
export const GENERATED_CODE_PATTERN = /^[0-9A-Za-z]{7}$/;

/**
 * First path segments the gateway routes itself, or did (`metrics`, now on
 * Envoy's admin port only) or does for the benchmark. The gateway's unit
 * tests check that every first segment it routes is listed here.
 */
export const GATEWAY_ROUTED_CODES: readonly string[] = ["v1", "healthz", "metrics", "__ceiling", "__floor-http"];

/**
 * First path segments Kurt may want later for its own pages. Codes cannot
 * contain dots, so file names such as favicon.ico or robots.txt can never clash.
 */
const FUTURE_RESERVED = [
  "api",
  "admin",
  "app",
  "assets",
  "docs",
  "health",
  "help",
  "links",
  "login",
  "logout",
  "ready",
  "readyz",
  "livez",
  "signup",
  "static",
  "stats",
  "status",
  "well-known",
  "www",
];

/** Every reserved word, lower case. */
export const RESERVED_CODES: readonly string[] = [...GATEWAY_ROUTED_CODES, ...FUTURE_RESERVED].map((word) =>
  word.toLowerCase(),
);

const RESERVED = new Set(RESERVED_CODES);

/** API versions: /v1 is routed today, /v2… may be tomorrow. */
const API_VERSION = /^v\d{1,3}$/i;

export function isReservedCode(code: string): boolean {
  return RESERVED.has(code.toLowerCase()) || API_VERSION.test(code);
}
