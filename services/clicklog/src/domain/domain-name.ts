import { DOMAIN_MAX_LENGTH, requestedDomain } from "@kurt/core/link-domain";
import { invalidArgument } from "@kurt/platform/errors";

// A slash, any whitespace or a control character: never part of a host name.
const NEVER_IN_A_NAME = /[\s/\p{Cc}]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is what it looks for
const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * Why `name` cannot be any domain's name, or undefined when it may be one.
 * Only the shape: whether such a domain exists is not clicklog's to know
 * (a name no link has simply holds no link). The reason never quotes the name.
 */
export function domainNameProblem(name: string): string | undefined {
  if (name.length > DOMAIN_MAX_LENGTH) return `longer than ${DOMAIN_MAX_LENGTH} characters`;
  if (NEVER_IN_A_NAME.test(name)) return 'must be a host name, without "/", spaces or control characters';
  return undefined;
}

/** Links store internationalised names in punycode; a name that cannot be converted is kept, and names no link. */
function asciiName(name: string): string {
  if (!NON_ASCII.test(name)) return name;
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return name;
  }
}

/**
 * The stored domain ("" for the default one) a stats request names: unset,
 * "" or the public host mean the default domain (@kurt/core/link-domain).
 * A name no domain can have is INVALID_ARGUMENT naming `domain`.
 */
export function statsDomain(requested: string | undefined, defaultHost: string): string {
  if (requested === undefined) return requestedDomain(requested, defaultHost);
  const problem = domainNameProblem(requested);
  if (problem !== undefined) throw invalidArgument("domain", problem);
  return requestedDomain(asciiName(requested), defaultHost);
}
