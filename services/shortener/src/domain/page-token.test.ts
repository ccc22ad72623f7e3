import { CUSTOM_CODE_PATTERN as CODE } from "@kurt/core/link-code";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_PAGE_SIZE, decodePageToken, encodePageToken, MAX_PAGE_SIZE, pageSize } from "./page-token.js";

test("a page token decodes to the position it was made from", () => {
  const position = { createdAtMicros: 1_767_225_600_123_456n, key: "Ab3_x-Z" };
  const token = encodePageToken("links", position);
  assert.match(token, /^[A-Za-z0-9_-]+$/, "URL-safe, so it travels in a query string as is");
  assert.equal(decodePageToken("links", token, CODE), position);
});

test("tokens that a previous answer could not have sent are refused naming pageToken", () => {
  const good = encodePageToken("links", { createdAtMicros: 1n, key: "abc" });
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  for (const token of [
    "garbage!",
    "bm90IGpzb24",
    `${good}=`,
    "x".repeat(600),
    forge([2, "links", "1", "abc"]),
    forge([1, "api-keys", "1", "abc"]),
    forge([1, "links", 1, "abc"]),
    forge([1, "links", "-5", "abc"]),
    forge([1, "links", "99999999999999999999", "abc"]),
    forge([1, "links", "1", "a b"]),
    forge([1, "links", "1"]),
    forge({ t: "1", c: "abc" }),
  ])
    assert.throws(() => decodePageToken("links", token, CODE), /^pageToken: not a token from a previous answer/);
});

test("page sizes: 0 means the default, too large is capped, negative is refused", () => {
  assert.is(pageSize(0), DEFAULT_PAGE_SIZE);
  assert.is(DEFAULT_PAGE_SIZE, 50);
  assert.is(pageSize(1), 1);
  assert.is(pageSize(500), 500);
  assert.is(pageSize(501), MAX_PAGE_SIZE);
  assert.is(pageSize(2_000_000_000), 500);
  assert.throws(() => pageSize(-1), /^pageSize: must be 0 \(the default\) or more, got -1$/);
});

test.run();
