import type { RuleVisitor, VisitorDevice } from "@kurt/core/redirect-rule";
import { clientAddress as addressOfHeaders } from "./client-address.js";
import { deviceOfUserAgent } from "./rule-visitor-device.js";
import { acceptedLanguages } from "./rule-visitor-languages.js";

export interface RuleVisitorSource {
  /** A request header by its lower-case name (HTTP headers, or gRPC metadata, which keeps their names). */
  readonly header: (name: string) => string | undefined;
  /** The request's path and query, as in IncomingMessage.url ("/abc?x=1"). */
  readonly url: string;
  /**
   * The visitor's address. By default `clientAddress` of ./client-address.ts
   * on the same headers; pass one when the caller has it already.
   */
  readonly clientAddress?: () => string;
  /** The country of an address, "" when unknown (@kurt/geoip's lookup). */
  readonly countryOf: (address: string) => string;
}

/**
 * The visit as redirect rules see it (ruleTarget of @kurt/core/redirect-rule).
 * Nothing is computed before a rule asks, and each answer is computed once
 * per visit: a link without rules, or whose rules name neither a country nor
 * a query parameter, costs no GeoIP lookup and no query parsing.
 *
 * The query is read with URLSearchParams semantics (application/x-www-form-
 * urlencoded: `+` is a space, percent-escapes decoded, a malformed escape
 * kept as written, bytes that are no UTF-8 read as U+FFFD, `a` and `a=`
 * both present with the value ""). The names and values compared are the
 * decoded ones.
 */
export function createRuleVisitor(source: RuleVisitorSource): RuleVisitor {
  let device: VisitorDevice | undefined;
  let country: string | undefined;
  let languages: readonly string[] | undefined;
  let query: URLSearchParams | undefined;
  return {
    device() {
      if (device === undefined) device = deviceOfUserAgent(source.header("user-agent") ?? "");
      return device;
    },
    country() {
      if (country === undefined) {
        const address = source.clientAddress ? source.clientAddress() : addressOfHeaders(source.header);
        country = address === "" ? "" : source.countryOf(address);
      }
      return country;
    },
    acceptsLanguage(primary) {
      if (languages === undefined) languages = acceptedLanguages(source.header("accept-language"));
      return languages.includes(primary.toLowerCase());
    },
    queryValues(name) {
      if (query === undefined) query = queryOf(source.url);
      const values = query.getAll(name);
      return values.length === 0 ? undefined : values;
    },
  };
}

function queryOf(url: string): URLSearchParams {
  const start = url.indexOf("?");
  if (start === -1) return new URLSearchParams();
  const hash = url.indexOf("#", start);
  return new URLSearchParams(url.slice(start + 1, hash === -1 ? undefined : hash));
}
