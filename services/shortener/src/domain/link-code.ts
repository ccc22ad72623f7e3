import { RESERVED_CODES as GATEWAY_ROUTED } from "@kurt/gateway";
import { invalidArgument } from "@kurt/platform";

/**
 * Link codes. Custom codes follow DESIGN.md §2; generated codes (7 of
 * [0-9A-Za-z]) are a subset of the same shape, so one pattern recognises any
 * code a client may look up. Codes are case-sensitive, but reserved words
 * are refused in any case: `/Healthz` would look like the gateway's own path.
 */

export const CUSTOM_CODE_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;

/**
 * Words the gateway routes itself (imported, so a new gateway path is
 * reserved here at once), plus first path segments Kurt may want later for
 * its own pages. Codes cannot contain dots, so file names such as
 * favicon.ico or robots.txt can never clash.
 */
const OWN_RESERVED = [
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

const RESERVED = new Set([...GATEWAY_ROUTED, ...OWN_RESERVED].map((word) => word.toLowerCase()));

/** API versions: /v1 is routed today, /v2… may be tomorrow. */
const API_VERSION = /^v\d{1,3}$/i;

export function isReservedCode(code: string): boolean {
  return RESERVED.has(code.toLowerCase()) || API_VERSION.test(code);
}

/** A custom code as the client asked for it, or INVALID_ARGUMENT naming the rule it breaks. */
export function validateCustomCode(code: string): string {
  if (code === "") throw invalidArgument("code", "must not be empty (leave it out to get a generated code)");
  if (!CUSTOM_CODE_PATTERN.test(code)) {
    const shown = code.length > 80 ? `${JSON.stringify(code.slice(0, 80))}…` : JSON.stringify(code);
    throw invalidArgument("code", `must be 3 to 64 characters of A-Z, a-z, 0-9, _ and -, got ${shown}`);
  }
  if (isReservedCode(code)) throw invalidArgument("code", `"${code}" is reserved`);
  return code;
}

/**
 * The code of a Get, Update or Delete. A code no link could have is refused
 * before it reaches the database (a NUL byte would make Postgres fail, and
 * that must be a 400, not a 500).
 */
export function validateLookupCode(code: string): string {
  if (code === "") throw invalidArgument("code", "required");
  if (!CUSTOM_CODE_PATTERN.test(code))
    throw invalidArgument("code", "not a link code: codes are 3 to 64 characters of A-Z, a-z, 0-9, _ and -");
  return code;
}
