import { isCountryCode } from "@kurt/core/country-code";
import { type RedirectRule, RULE_DEVICES, type RuleDevice } from "@kurt/core/redirect-rule";
import { invalidArgument } from "@kurt/platform/errors";
import { CONTROL_CHARACTER } from "./control-characters.js";
import type { TargetUrlPolicy } from "./target-url.js";

/** DESIGN.md §2's redirect rules, as a create or an update sends them. */

export const MAX_RULES = 32;
export const MAX_QUERY_NAME_LENGTH = 128;
export const MAX_QUERY_VALUE_LENGTH = 1_024;

const RULE_MEMBERS = new Set(["device", "country", "language", "query", "url"]);
const QUERY_MEMBERS = new Set(["name", "value"]);
/** A primary language subtag (RFC 5646 §2.2.1: 2 or 3 letters; 4 to 8 are reserved or registered rarely). */
const LANGUAGE = /^[A-Za-z]{2,3}$/;

const typeName = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** proto3 JSON's null and an unset message field both mean "absent". */
const absent = (value: unknown) => value === undefined || value === null;

function stringMember(object: Record<string, unknown>, name: string, field: string): string | undefined {
  const value = object[name];
  if (absent(value)) return undefined;
  if (typeof value !== "string") throw invalidArgument(`${field}.${name}`, `must be a string, got ${typeName(value)}`);
  return value;
}

function refuseUnknownMembers(object: Record<string, unknown>, known: ReadonlySet<string>, field: string): void {
  for (const name of Object.keys(object))
    if (!known.has(name) && !absent(object[name]))
      throw invalidArgument(`${field}.${name}`, `is not a member of a rule; use ${[...known].join(", ")}`);
}

function validateDevice(value: string, field: string): RuleDevice {
  const device = RULE_DEVICES.find((known) => known === value);
  if (device === undefined)
    throw invalidArgument(`${field}.device`, `must be one of ${RULE_DEVICES.join(", ")}, got ${JSON.stringify(value)}`);
  return device;
}

function validateCountry(value: string, field: string): string {
  const country = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !isCountryCode(country))
    throw invalidArgument(
      `${field}.country`,
      `must be an ISO 3166-1 alpha-2 country code such as "DE" or "GB", got ${JSON.stringify(value.slice(0, 40))}`,
    );
  return country;
}

function validateLanguage(value: string, field: string): string {
  if (!LANGUAGE.test(value))
    throw invalidArgument(
      `${field}.language`,
      `must be a primary language subtag of 2 or 3 letters such as "de", got ${JSON.stringify(value.slice(0, 40))}`,
    );
  return value.toLowerCase();
}

function validateQuery(value: unknown, field: string): { name: string; value?: string } {
  if (!isObject(value))
    throw invalidArgument(`${field}.query`, `must be an object {name, value?}, got ${typeName(value)}`);
  refuseUnknownMembers(value, QUERY_MEMBERS, `${field}.query`);
  const name = stringMember(value, "name", `${field}.query`);
  if (name === undefined || name === "") throw invalidArgument(`${field}.query.name`, "is required");
  if (name.length > MAX_QUERY_NAME_LENGTH)
    throw invalidArgument(`${field}.query.name`, `at most ${MAX_QUERY_NAME_LENGTH} characters, got ${name.length}`);
  if (CONTROL_CHARACTER.test(name)) throw invalidArgument(`${field}.query.name`, "must not contain control characters");
  const wanted = stringMember(value, "value", `${field}.query`);
  if (wanted === undefined) return { name };
  if (wanted.length > MAX_QUERY_VALUE_LENGTH)
    throw invalidArgument(`${field}.query.value`, `at most ${MAX_QUERY_VALUE_LENGTH} characters, got ${wanted.length}`);
  if (CONTROL_CHARACTER.test(wanted))
    throw invalidArgument(`${field}.query.value`, "must not contain control characters");
  return { name, value: wanted };
}

function validateRule(value: unknown, field: string, targetUrl: TargetUrlPolicy): RedirectRule {
  if (!isObject(value))
    throw invalidArgument(
      field,
      `must be a rule object {device?, country?, language?, query?, url}, got ${typeName(value)}`,
    );
  refuseUnknownMembers(value, RULE_MEMBERS, field);
  const device = stringMember(value, "device", field);
  const country = stringMember(value, "country", field);
  const language = stringMember(value, "language", field);
  const url = stringMember(value, "url", field);
  const rule: { -readonly [K in keyof RedirectRule]: RedirectRule[K] } = {
    url: url === undefined || url === "" ? missingUrl(field) : targetUrl(url, `${field}.url`),
  };
  if (device !== undefined) rule.device = validateDevice(device, field);
  if (country !== undefined) rule.country = validateCountry(country, field);
  if (language !== undefined) rule.language = validateLanguage(language, field);
  if (!absent(value.query)) rule.query = validateQuery(value.query, field);
  if (
    rule.device === undefined &&
    rule.country === undefined &&
    rule.language === undefined &&
    rule.query === undefined
  )
    throw invalidArgument(field, "needs at least one condition: device, country, language or query");
  return rule;
}

function missingUrl(field: string): never {
  throw invalidArgument(`${field}.url`, "is required: where the rule sends the visitor");
}

/**
 * Rules as the client sent them: an update's ListValue (any JSON values) or a
 * create's messages. Answers them in their stored form (country upper case,
 * language lower case, URLs normalised as a link's URL is).
 */
export function validateRules(values: readonly unknown[], targetUrl: TargetUrlPolicy): RedirectRule[] {
  if (values.length > MAX_RULES) throw invalidArgument("rules", `at most ${MAX_RULES} rules, got ${values.length}`);
  return values.map((value, index) => validateRule(value, `rules[${index}]`, targetUrl));
}
