import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EnvoyObject } from "./envoy-clusters.js";
import { renderJsonLocalReplies } from "./local-replies.js";

interface Mapper {
  filter: { status_code_filter: { comparison: { op: string; value: { default_value: number } } } };
  body?: { inline_string: string };
  body_format_override: { json_format: { code: number; message: string } };
}

function mappers(config: EnvoyObject): Mapper[] {
  return (config as { mappers: Mapper[] }).mappers;
}

const codeByStatus = (config: EnvoyObject) =>
  Object.fromEntries(
    mappers(config)
      .filter((m) => m.filter.status_code_filter.comparison.op === "EQ")
      .map((m) => [
        m.filter.status_code_filter.comparison.value.default_value,
        m.body_format_override.json_format.code,
      ]),
  );

test("Envoy's own replies carry the gRPC code that DESIGN.md §2 pairs with their HTTP status", () => {
  const codes = codeByStatus(renderJsonLocalReplies(1024));
  assert.equal(
    [400, 401, 403, 404, 409, 410, 429, 503].map((status) => codes[status]),
    [3, 16, 7, 5, 6, 9, 8, 14],
  );
});

test("statuses only Envoy answers get a code too, and any other error is UNKNOWN", () => {
  const config = renderJsonLocalReplies(1024);
  const codes = codeByStatus(config);
  assert.equal(
    [405, 413, 415, 501, 504].map((status) => codes[status]),
    [12, 3, 3, 12, 4],
  );
  const last = mappers(config).at(-1);
  assert.is(last?.filter.status_code_filter.comparison.op, "GE");
  assert.is(last?.filter.status_code_filter.comparison.value.default_value, 400);
  assert.is(last?.body_format_override.json_format.code, 2);
});

test("each status has one mapper, and a body over the limit says what the limit is", () => {
  const all = mappers(renderJsonLocalReplies(65536));
  const statuses = all
    .filter((m) => m.filter.status_code_filter.comparison.op === "EQ")
    .map((m) => m.filter.status_code_filter.comparison.value.default_value);
  assert.is(new Set(statuses).size, statuses.length);
  const tooLarge = all.find((m) => m.filter.status_code_filter.comparison.value.default_value === 413);
  assert.is(tooLarge?.body?.inline_string, "request body: larger than the limit of 65536 bytes");
});

test("a route's own body limit is named for its requests, and looked at before the default", () => {
  const config = renderJsonLocalReplies(65536, [{ pathRegex: "/big(\\?.*)?", method: "POST", maxBytes: 2097152 }]);
  // biome-ignore lint/suspicious/noExplicitAny: walking Envoy's untyped YAML shape
  const [first, ...rest] = (config as { mappers: any[] }).mappers;
  assert.equal(first.filter.and_filter.filters, [
    { status_code_filter: { comparison: { op: "EQ", value: { default_value: 413, runtime_key: "kurt_unused" } } } },
    { header_filter: { header: { name: ":path", string_match: { safe_regex: { regex: "/big(\\?.*)?" } } } } },
    { header_filter: { header: { name: ":method", string_match: { exact: "POST" } } } },
  ]);
  assert.is(first.body.inline_string, "request body: larger than the limit of 2097152 bytes");
  assert.is(first.body_format_override.json_format.code, 3);
  assert.equal(rest, mappers(renderJsonLocalReplies(65536)), "the default mappers follow, unchanged");
});

test.run();
