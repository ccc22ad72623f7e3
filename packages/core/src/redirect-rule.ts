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
