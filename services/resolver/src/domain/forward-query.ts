/**
 * `forwardQuery` (DESIGN.md §2): the visitor's query string is appended to
 * the target's, as sent (no re-encoding of either), before the target's
 * fragment. A name in both is then present twice, the visitor's last: what
 * most servers read as the visitor's value.
 */
export function withForwardedQuery(target: string, requestQuery: string): string {
  const query = requestQuery.startsWith("?") ? requestQuery.slice(1) : requestQuery;
  if (query === "") return target;
  const hash = target.indexOf("#");
  const base = hash === -1 ? target : target.slice(0, hash);
  const fragment = hash === -1 ? "" : target.slice(hash);
  const question = base.indexOf("?");
  const separator = question === -1 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return `${base}${separator}${query}${fragment}`;
}
