import { LRUCache } from "lru-cache";
import type { UserAgentClass } from "../domain/click.js";
import type { UserAgentClassifier } from "../domain/user-agent-classifier.js";

/**
 * Remembers the classes of recent user agents. Parsing one costs about
 * 0.1 ms, the main cost of storing a click, while real traffic comes from a
 * few thousand distinct agents, so nearly every click is a cache hit.
 */
export function createCachedClassifier(inner: UserAgentClassifier, maxEntries: number): UserAgentClassifier {
  const cache = new LRUCache<string, UserAgentClass>({ max: maxEntries });
  return {
    classify(userAgent) {
      let result = cache.get(userAgent);
      if (result === undefined) {
        result = inner.classify(userAgent);
        cache.set(userAgent, result);
      }
      return result;
    },
  };
}
