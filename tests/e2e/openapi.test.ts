import { readFileSync } from "node:fs";
import { GATEWAY_PATHS, gatewayOpenApiFile } from "@kurt/gateway";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describe, request } from "../support/http-client.js";
import { resolvePaths } from "../support/tool.js";

// `GET /v1/openapi.json` through Envoy: the committed document (envoy/openapi/openapi.json,
// generated from proto/; docs/adr/0031-openapi-document.md), the one /v1/ call without an API key.

const committedText = readFileSync(gatewayOpenApiFile(resolvePaths().root), "utf8");

test("GET /v1/openapi.json without an API key answers the committed document as JSON", async () => {
  const answer = await request("GET", GATEWAY_PATHS.openapi);
  assert.is(answer.status, 200, describe(answer));
  assert.match(answer.headers.get("content-type") ?? "", /^application\/json\b/);
  assert.is(answer.headers.get("access-control-allow-origin"), "*", "any origin may read the document");
  assert.is(answer.text, committedText, "byte for byte the committed file");
  assert.equal(answer.json, JSON.parse(committedText));
  assert.match(answer.json.openapi, /^3\.0\./);
  assert.ok(answer.json.paths["/v1/links"], "the contract's calls are in it");
});

test("an API key, valid or not, changes nothing about the document's answer", async () => {
  const answer = await request("GET", GATEWAY_PATHS.openapi, { key: "not-a-key" });
  assert.is(answer.status, 200, describe(answer));
  assert.is(answer.text, committedText);
});

test("HEAD /v1/openapi.json answers GET's headers without a body", async () => {
  const answer = await request("HEAD", GATEWAY_PATHS.openapi);
  assert.is(answer.status, 200, describe(answer));
  assert.match(answer.headers.get("content-type") ?? "", /^application\/json\b/);
  assert.is(answer.headers.get("content-length"), String(Buffer.byteLength(committedText)));
  assert.is(answer.text, "");
});

test("other methods, a trailing slash and a query parameter get the contract's usual answers", async () => {
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
    const answer = await request(method, GATEWAY_PATHS.openapi);
    assert.is(answer.status, 404, `${method}: ${describe(answer)}`);
    assert.is(answer.json?.code, 5, `${method}: NOT_FOUND in the error body`);
  }
  const slash = await request("GET", `${GATEWAY_PATHS.openapi}/`);
  assert.is(slash.status, 404, describe(slash));
  const query = await request("GET", `${GATEWAY_PATHS.openapi}?format=yaml`);
  assert.is(query.status, 400, describe(query));
  assert.match(query.json?.message ?? "", /format/);
});

test.run();
