import { notFound } from "@kurt/platform";
import type { LinkResolver, Redirect } from "../domain/link-resolver.js";

/**
 * A resolver port answering from a table, for the tests of a transport
 * (HTTP or gRPC): the translation is under test, not the lookup. A code
 * missing from the table is unknown; an Error in it is thrown. `asked` lists
 * the codes looked up, in order.
 */
export function createTableResolver(answers: Readonly<Record<string, Redirect | Error>>): LinkResolver & {
  readonly asked: string[];
} {
  const asked: string[] = [];
  return {
    asked,
    async resolve(code) {
      asked.push(code);
      const answer = answers[code];
      if (answer === undefined) throw notFound("link");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    invalidate() {},
  };
}
