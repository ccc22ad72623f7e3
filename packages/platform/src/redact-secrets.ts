/**
 * The last line of defence for DESIGN.md's "no secret in any log": whatever
 * a log line carries (a library's error echoing a header, a field someone
 * added), an API key or a bearer credential in it is cut down to what
 * listings show. Keys are `kurt_` and 43 base64url characters
 * (@kurt/api-keys); a credential after `Bearer` may be anything a client sent.
 */
const API_KEY = /kurt_[A-Za-z0-9_-]{8,}/g;
// Never across a quote or a backslash: the text is a JSON line, which must stay valid JSON.
const BEARER = /(bearer)(\s|\\t|\\u0009)+[^\s"\\]+/gi;

export function redactSecrets(text: string): string {
  return text.replace(BEARER, "$1 [redacted]").replace(API_KEY, (key) => `${key.slice(0, 9)}…[redacted]`);
}
