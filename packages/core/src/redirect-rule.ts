/**
 * A link's redirect rules (DESIGN.md §2): checked in order on each visit, the
 * first rule whose conditions all hold gives the target, else the link's
 * own URL does. The shortener validates and stores them, the cached link
 * carries them, the resolver evaluates them without a lookup of its own.
 */

export const RULE_DEVICES = ["ios", "android", "mobile", "desktop"] as const;
export type RuleDevice = (typeof RULE_DEVICES)[number];

export interface RedirectRule {
  readonly device?: RuleDevice;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
  /** A primary language subtag, lower case ("de"). */
  readonly language?: string;
  readonly query?: { readonly name: string; readonly value?: string };
  readonly url: string;
}

/**
 * The visitor's device as rules tell it apart: a "mobile" condition holds
 * for ios, android and other-mobile (phones and tablets alike), a "desktop"
 * one for desktop only.
 */
export type VisitorDevice = "ios" | "android" | "other-mobile" | "desktop";

/**
 * What rules ask about a visit. Every method is lazy, and the implementation
 * remembers its answers: a link whose rules never name a country costs no
 * GeoIP lookup, one without a query condition never parses the query.
 */
export interface RuleVisitor {
  device(): VisitorDevice;
  /** ISO 3166-1 alpha-2, upper case; "" when unknown, and then no country condition holds. */
  country(): string;
  /** Whether Accept-Language names this primary subtag (lower case, "de") with a quality above 0. */
  acceptsLanguage(primary: string): boolean;
  /** Every value of the query parameter `name` (decoded), or undefined when the query does not have it. */
  queryValues(name: string): readonly string[] | undefined;
}

function deviceHolds(wanted: RuleDevice, visitor: RuleVisitor): boolean {
  const device = visitor.device();
  return wanted === "mobile" ? device !== "desktop" : device === wanted;
}

/**
 * Whether every condition the rule sets holds. Conditions are asked from the
 * cheapest to the dearest (the country is a GeoIP lookup), so that a rule
 * that already failed on its device or query costs no lookup. A rule without
 * conditions holds (the shortener refuses such rules; this is the plain
 * reading of "every set condition").
 */
export function ruleHolds(rule: RedirectRule, visitor: RuleVisitor): boolean {
  if (rule.device !== undefined && !deviceHolds(rule.device, visitor)) return false;
  if (rule.query !== undefined) {
    const values = visitor.queryValues(rule.query.name);
    if (values === undefined) return false;
    if (rule.query.value !== undefined && !values.includes(rule.query.value)) return false;
  }
  if (rule.language !== undefined && !visitor.acceptsLanguage(rule.language)) return false;
  if (rule.country !== undefined) {
    const country = visitor.country();
    if (country === "" || country !== rule.country) return false;
  }
  return true;
}

/** The target of the first rule that holds for this visitor; undefined when none does (the link's own URL then). */
export function ruleTarget(rules: readonly RedirectRule[], visitor: RuleVisitor): string | undefined {
  for (const rule of rules) if (ruleHolds(rule, visitor)) return rule.url;
  return undefined;
}
