import { test } from "uvu";
import * as assert from "uvu/assert";
import { filterKind, validateQuery, validateTagFilter } from "./link-filter.js";

test("a query is 1 to 200 characters without control characters", () => {
  assert.is(validateQuery("Bücher 100%_x"), "Bücher 100%_x");
  assert.throws(() => validateQuery(""), /^query: must not be empty/);
  assert.throws(() => validateQuery("x".repeat(201)), /^query: at most 200 characters, got 201/);
  assert.throws(() => validateQuery("a\nb"), /^query: must not contain control characters/);
});

test("a tag filter is a tag", () => {
  assert.is(validateTagFilter("launch-2026"), "launch-2026");
  for (const bad of ["", "a b", "x".repeat(51), "ä"]) assert.throws(() => validateTagFilter(bad), /^tag: not a tag/);
});

test("a page token's kind changes with every filter, and is the plain kind without one", () => {
  assert.is(filterKind("links", {}), "links");
  const kinds = [
    filterKind("links", { domain: "" }),
    filterKind("links", { domain: "go.example.com" }),
    filterKind("links", { query: "a" }),
    filterKind("links", { query: "b" }),
    filterKind("links", { tag: "a" }),
    filterKind("links", { query: "a", tag: "a" }),
  ];
  assert.is(new Set(kinds).size, kinds.length);
  assert.is(filterKind("links", { query: "a" }), filterKind("links", { query: "a" }), "stable");
  assert.ok(filterKind("links", { query: "x".repeat(200) }).length < 30, "short whatever the query");
});

test.run();
