import { test } from "uvu";
import * as assert from "uvu/assert";
import { withForwardedQuery } from "./forward-query.js";

test("the visitor's query is appended as sent, after the target's own and before its fragment", () => {
  assert.is(withForwardedQuery("https://example.com/a", "utm_source=x"), "https://example.com/a?utm_source=x");
  assert.is(
    withForwardedQuery("https://example.com/a?q=1", "?utm_source=x&b=%20"),
    "https://example.com/a?q=1&utm_source=x&b=%20",
  );
  assert.is(withForwardedQuery("https://example.com/a?q=1#top", "q=2"), "https://example.com/a?q=1&q=2#top");
  assert.is(withForwardedQuery("https://example.com/a#top", "x=1"), "https://example.com/a?x=1#top");
  assert.is(withForwardedQuery("https://example.com/a?", "x=1"), "https://example.com/a?x=1");
});

test("no query, or an empty one, leaves the target as it is", () => {
  assert.is(withForwardedQuery("https://example.com/a?q=1#f", ""), "https://example.com/a?q=1#f");
  assert.is(withForwardedQuery("https://example.com/a", "?"), "https://example.com/a");
});

test.run();
