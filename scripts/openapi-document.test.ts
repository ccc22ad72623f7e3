import { readFileSync } from "node:fs";
import { gatewayOpenApiFile } from "@kurt/gateway";
import { Validator } from "@seriousme/openapi-schema-validator";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HTTP_CALLS, jsonName } from "../gateway/src/http-bindings.js";
import {
  BEARER_SCHEME,
  cleanDescription,
  completeOpenApiDocument,
  OPENAPI_PATH,
  renderOpenApiJson,
} from "./openapi-document.js";

// biome-ignore lint/suspicious/noExplicitAny: documents are read as plain JSON
type Json = any;

const root = new URL("..", import.meta.url).pathname;
const committedText = readFileSync(gatewayOpenApiFile(root), "utf8");
const committed: Json = JSON.parse(committedText);

const STATUS_REF = { $ref: "#/components/schemas/Status" };

/** A small document shaped as protoc-gen-openapi writes one (see openapi/buf.gen.yaml). */
function pluginOutput(): Json {
  const errorAnswer = {
    description: "Default error response",
    content: { "application/json": { schema: STATUS_REF } },
  };
  return {
    openapi: "3.0.3",
    info: { title: "Kurt API", version: "v1" },
    paths: {
      "/v1/links/{code}": {
        patch: {
          description: "Changes only the fields present.\n buf:lint:ignore RPC_RESPONSE_STANDARD_NAME",
          operationId: "LinkService_UpdateLink",
          parameters: [{ name: "code", in: "path", required: true, schema: { type: "string" } }],
          requestBody: {
            content: { "application/json": { schema: { $ref: "#/components/schemas/UpdateLinkRequest" } } },
            required: true,
          },
          responses: { "200": { description: "OK" }, default: errorAnswer },
        },
      },
      "/v1/links/{code}/stats": {
        get: {
          operationId: "StatsService_GetLinkStats",
          parameters: [
            {
              name: "interval",
              in: "query",
              schema: { enum: ["STATS_INTERVAL_UNSPECIFIED", "HOUR", "DAY"], type: "string", format: "enum" },
            },
          ],
          responses: { "200": { description: "OK" }, default: errorAnswer },
        },
      },
      "/v1/links/{code}/qr": {
        get: {
          operationId: "LinkService_GetLinkQrCode",
          responses: { "200": { description: "OK", content: { "*/*": {} } }, default: errorAnswer },
        },
      },
    },
    components: {
      schemas: {
        UpdateLinkRequest: {
          type: "object",
          properties: {
            code: { type: "string" },
            url: { type: "string" },
            tags: { allOf: [{ $ref: "#/components/schemas/ListValue" }], description: "Replaces all tags." },
            rules: { allOf: [{ $ref: "#/components/schemas/ListValue" }] },
          },
        },
        RedirectRule: { type: "object", properties: { url: { type: "string" } } },
        ListValue: { type: "object", properties: { values: { type: "array", items: STATUS_REF } } },
        GoogleProtobufValue: { description: "Any JSON value." },
        Status: { type: "object", properties: { code: { type: "integer" }, message: { type: "string" } } },
      },
    },
    tags: [{ name: "LinkService" }],
  };
}

test("a description loses the space after `//` on its later lines and buf's lint exceptions", () => {
  assert.is(
    cleanDescription("Answers the key.\n It stays.\n buf:lint:ignore RPC_RESPONSE_STANDARD_NAME"),
    "Answers the key.\nIt stays.",
  );
  assert.is(cleanDescription("One line."), "One line.");
});

test("every call needs the bearer scheme but the document itself, which is listed without one", () => {
  const document = completeOpenApiDocument(pluginOutput());
  assert.equal(document.components.securitySchemes[BEARER_SCHEME], {
    type: "http",
    scheme: "bearer",
    description: document.components.securitySchemes[BEARER_SCHEME].description,
  });
  assert.equal(document.paths["/v1/links/{code}"].patch.security, [{ [BEARER_SCHEME]: [] }]);
  assert.equal(document.paths["/v1/links/{code}/stats"].get.security, [{ [BEARER_SCHEME]: [] }]);
  assert.equal(document.paths[OPENAPI_PATH].get.security, []);
  assert.ok(document.paths[OPENAPI_PATH].get.responses["200"].content["application/json"]);
});

test("a request body has no member for what the path binds, and takes no unknown member", () => {
  const document = completeOpenApiDocument(pluginOutput());
  const body = document.components.schemas.UpdateLinkRequest;
  assert.equal(Object.keys(body.properties), ["url", "tags", "rules"]);
  assert.is(body.additionalProperties, false);
  assert.is(document.components.schemas.RedirectRule.additionalProperties, false, "nested in a body");
  assert.is(document.components.schemas.Status.additionalProperties, undefined, "an answer stays open");
});

test("ListValue fields are the JSON arrays they are, and the unused ListValue schemas go", () => {
  const document = completeOpenApiDocument(pluginOutput());
  const { tags, rules } = document.components.schemas.UpdateLinkRequest.properties;
  assert.equal(tags, { type: "array", items: { type: "string" }, description: "Replaces all tags." });
  assert.equal(rules, { type: "array", items: { $ref: "#/components/schemas/RedirectRule" } });
  assert.is(document.components.schemas.ListValue, undefined);
  assert.is(document.components.schemas.GoogleProtobufValue, undefined);
});

test("a ListValue field the protos no longer have stops the generation", () => {
  const generated = pluginOutput();
  delete generated.components.schemas.UpdateLinkRequest.properties.tags;
  assert.throws(() => completeOpenApiDocument(generated), /UpdateLinkRequest\.tags/);
});

test("a query enum lists the contract's lowercase values without the unspecified one", () => {
  const document = completeOpenApiDocument(pluginOutput());
  assert.equal(document.paths["/v1/links/{code}/stats"].get.parameters[0].schema, {
    enum: ["hour", "day"],
    type: "string",
  });
});

test("the QR code's answer is an SVG or PNG image, and errors keep the error body", () => {
  const responses = completeOpenApiDocument(pluginOutput()).paths["/v1/links/{code}/qr"].get.responses;
  assert.equal(Object.keys(responses["200"].content), ["image/svg+xml", "image/png"]);
  assert.equal(responses["200"].content["image/png"].schema, { type: "string", format: "binary" });
  assert.equal(responses.default.content["application/json"].schema, STATUS_REF);
});

test("completing leaves the plugin's document untouched and gives the same text twice", () => {
  const generated = pluginOutput();
  const before = JSON.stringify(generated);
  const once = renderOpenApiJson(completeOpenApiDocument(generated));
  assert.is(JSON.stringify(generated), before);
  assert.is(renderOpenApiJson(completeOpenApiDocument(pluginOutput())), once);
});

// --- the committed document (envoy/openapi/openapi.json) ---------------------------

test("the committed document is a valid OpenAPI 3.0 document", async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(committed));
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.is(validator.version, "3.0");
  assert.match(committed.openapi, /^3\.0\./);
});

/** `METHOD /template` of every operation of a document. */
function operationsOf(document: Json): string[] {
  return Object.entries<Json>(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

test("the document lists exactly the contract's calls (gateway/src/http-bindings.ts) and itself", () => {
  const expected = [...HTTP_CALLS.map((call) => `${call.method} ${call.template}`), `GET ${OPENAPI_PATH}`];
  assert.equal(operationsOf(committed).sort(), expected.sort());
});

test("every call of the contract names the bearer scheme; the document itself needs none", () => {
  assert.equal(committed.components.securitySchemes[BEARER_SCHEME].type, "http");
  assert.equal(committed.components.securitySchemes[BEARER_SCHEME].scheme, "bearer");
  for (const call of HTTP_CALLS) {
    const operation = committed.paths[call.template][call.method.toLowerCase()];
    assert.equal(operation.security, [{ [BEARER_SCHEME]: [] }], call.name);
    assert.equal(operation.responses.default.content["application/json"].schema, STATUS_REF, call.name);
  }
  assert.equal(committed.paths[OPENAPI_PATH].get.security, []);
  assert.equal(Object.keys(committed.components.schemas.Status.properties), ["code", "message", "details"]);
});

test("each call's query parameters and body members are the gateway's, in proto3 JSON names", () => {
  for (const call of HTTP_CALLS) {
    const operation = committed.paths[call.template][call.method.toLowerCase()];
    const query = (operation.parameters ?? []).filter((p: Json) => p.in === "query").map((p: Json) => p.name);
    assert.equal(query.sort(), call.query.map(jsonName).sort(), `${call.name}: query`);
    const ref: string | undefined = operation.requestBody?.content["application/json"].schema.$ref;
    const members =
      ref === undefined ? [] : Object.keys(committed.components.schemas[ref.split("/").at(-1) ?? ""].properties);
    assert.equal(
      members.sort(),
      Object.keys(call.body ?? {})
        .map(jsonName)
        .sort(),
      `${call.name}: body`,
    );
  }
});

test("every reference of the committed document names a schema it has", () => {
  const refs = committedText.match(/"\$ref": "[^"]+"/g) ?? [];
  assert.ok(refs.length > 0);
  for (const ref of refs) {
    const name = ref.slice('"$ref": "#/components/schemas/'.length, -1);
    assert.ok(committed.components.schemas[name], ref);
  }
});

test.run();
