import { test } from "uvu";
import * as assert from "uvu/assert";
import { asciiHeaderValue } from "./header-value.js";

test("printable ASCII passes unchanged", () => {
  const url = "https://example.com/a?b=c&d=%20#frag";
  assert.is(asciiHeaderValue(url), url);
});

test("non-ASCII and control characters are percent-encoded as UTF-8", () => {
  assert.is(asciiHeaderValue("https://example.com/ä😀"), "https://example.com/%C3%A4%F0%9F%98%80");
  assert.is(asciiHeaderValue("https://example.com/\t"), "https://example.com/%09");
});

test.run();
