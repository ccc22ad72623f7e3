import { CUSTOM_CODE_PATTERN, isReservedCode } from "@kurt/core/link-code";
import { invalidArgument } from "@kurt/platform/errors";

/**
 * Link codes as the shortener accepts them. The shape and the reserved words
 * are @kurt/core/link-code's (one pattern for every part); this file turns a
 * broken rule into INVALID_ARGUMENT naming it.
 */

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
