import { linkKey } from "@kurt/core/link-domain";
import { notFound } from "@kurt/platform";
import type { LinkResolver, Redirect } from "../domain/link-resolver.js";

/**
 * A resolver port answering from a table, for the tests of a transport
 * (HTTP or gRPC): the translation is under test, not the lookup. A code
 * missing from the table is unknown; an Error in it is thrown. The table and
 * `asked` (the lookups, in order) hold link keys: the bare code for the
 * default domain, `domain/code` for another.
 */
export function createTableResolver(answers: Readonly<Record<string, Redirect | Error>>): LinkResolver & {
  readonly asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    async resolve(domain, code) {
      const key = linkKey(domain, code);
      asked.push(key);
      const answer = answers[key];
      if (answer === undefined) throw notFound("link");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    invalidate() {},
  };
}
