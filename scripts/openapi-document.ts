/**
 * envoy/openapi/openapi.json, the OpenAPI 3.0 document the gateway serves at
 * `GET /v1/openapi.json`, for scripts/generate.ts: gnostic's
 * protoc-gen-openapi writes it from the google.api.http options in proto/
 * (openapi/buf.gen.yaml, the plugin installed by openapi/tools.sh), and
 * completeOpenApiDocument adds what the plugin cannot express about the HTTP
 * contract (docs/adr/0031-openapi-document.md).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GATEWAY_PATHS, OPENAPI_DOCUMENT } from "@kurt/gateway";
import { parse } from "yaml";
import type { GenerateTarget } from "../sdk/generate-targets.js";

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON
type Json = any;

export const OPENAPI_PATH = GATEWAY_PATHS.openapi;

/** The security scheme every call but OPENAPI_PATH names (DESIGN.md §2: `Authorization: Bearer <api key>`). */
export const BEARER_SCHEME = "bearerAuth";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/**
 * Fields typed google.protobuf.ListValue (a presence-carrying list, see
 * UpdateLinkRequest in proto/kurt/v1/link_service.proto): the plugin
 * describes ListValue's message, `{values: [...]}`, but its JSON form is a
 * bare array, and the service takes only these elements in it.
 */
const LIST_VALUE_FIELDS: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  UpdateLinkRequest: {
    tags: { type: "string" },
    rules: { $ref: "#/components/schemas/RedirectRule" },
  },
};

/** Calls answering google.api.HttpBody: the plugin says `*∕*`; these are the media types they answer with. */
const BINARY_ANSWERS: Readonly<Record<string, readonly string[]>> = {
  LinkService_GetLinkQrCode: ["image/svg+xml", "image/png"],
};

/** The plugin's `Status`, which every error body has (Envoy's own errors too: gateway/src/local-replies.ts). */
const ERROR_SCHEMA = "Status";
const ERROR_DESCRIPTION = [
  "The body of every error (google.rpc.Status in proto3 JSON), whatever answered it: a service through",
  "the transcoder or the gateway itself. `code` is the gRPC status code (3 INVALID_ARGUMENT for HTTP 400,",
  "16 UNAUTHENTICATED for 401, 7 PERMISSION_DENIED for 403, 5 NOT_FOUND for 404, 6 ALREADY_EXISTS for 409,",
  "8 RESOURCE_EXHAUSTED for 429, 14 UNAVAILABLE for 503, …); `message` names the field and the reason.",
].join("\n");

/**
 * A comment in proto/ becomes a description with each line after the first
 * indented by one space (the space after `//`), and keeps buf's lint
 * exceptions, which say nothing to a client.
 */
export function cleanDescription(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/^ /, ""))
    .filter((line) => !/^\s*buf:lint:ignore\b/.test(line))
    .join("\n")
    .trim();
}

function walk(node: Json, visit: (node: Json) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node !== null && typeof node === "object") {
    visit(node);
    for (const value of Object.values(node)) walk(value, visit);
  }
}

function operations(document: Json): Array<{ path: string; method: string; operation: Json }> {
  const found: Array<{ path: string; method: string; operation: Json }> = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {}))
    for (const method of HTTP_METHODS)
      if (item[method] !== undefined) found.push({ path, method, operation: item[method] });
  return found;
}

const SCHEMA_REF = "#/components/schemas/";

function schemaName(ref: unknown): string | undefined {
  return typeof ref === "string" && ref.startsWith(SCHEMA_REF) ? ref.slice(SCHEMA_REF.length) : undefined;
}

/** Every component schema a request body holds, however deep. */
function requestSchemas(document: Json): Set<string> {
  const names = new Set<string>();
  const visitSchema = (schema: Json) =>
    walk(schema, (node) => {
      const name = schemaName(node.$ref);
      if (name === undefined || names.has(name)) return;
      names.add(name);
      visitSchema(document.components.schemas[name]);
    });
  for (const { operation } of operations(document))
    if (operation.requestBody !== undefined) visitSchema(operation.requestBody);
  return names;
}

/** Whether a component schema is referred to from anywhere but itself. */
function isReferenced(document: Json, name: string): boolean {
  let found = false;
  const { [name]: _self, ...others } = document.components.schemas;
  walk({ ...document, components: { ...document.components, schemas: others } }, (node) => {
    if (node.$ref === `${SCHEMA_REF}${name}`) found = true;
  });
  return found;
}

/**
 * Completes the plugin's document for Kurt's HTTP contract (DESIGN.md §2);
 * returns a new document. Each step is one thing protoc-gen-openapi has no
 * option for:
 *   - bearer authentication on every call, none on the document itself,
 *     which it lists as a call of its own;
 *   - request bodies without the members a path binds (`PATCH
 *     /v1/links/{code}` takes no `code` member: the gateway refuses it), and
 *     closed (`additionalProperties: false`), as strict input refuses unknown members;
 *   - ListValue fields as the arrays they are in JSON;
 *   - query enums as the values the contract names (`interval=hour|day`);
 *   - the media types of the binary answers (QR codes);
 *   - the error body's description, and descriptions without buf's lint
 *     exceptions.
 */
export function completeOpenApiDocument(generated: Json): Json {
  const document: Json = structuredClone(generated);
  walk(document, (node) => {
    if (typeof node.description === "string") node.description = cleanDescription(node.description);
  });
  const schemas = document.components.schemas;

  for (const { path, operation } of operations(document)) {
    operation.security = [{ [BEARER_SCHEME]: [] }];
    const pathNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    const bodySchema = schemaName(operation.requestBody?.content?.["application/json"]?.schema?.$ref);
    if (bodySchema !== undefined)
      for (const name of pathNames) if (name !== undefined) delete schemas[bodySchema].properties?.[name];
    for (const parameter of operation.parameters ?? []) {
      const schema = parameter.schema;
      if (parameter.in !== "query" || !Array.isArray(schema?.enum)) continue;
      // The gateway parses enums case-insensitively; the unspecified value means "unset".
      schema.enum = schema.enum
        .filter((value: string) => !value.endsWith("_UNSPECIFIED"))
        .map((value: string) => value.toLowerCase());
      if (schema.format === "enum") delete schema.format;
    }
    const mediaTypes = BINARY_ANSWERS[operation.operationId];
    if (mediaTypes !== undefined)
      operation.responses["200"].content = Object.fromEntries(
        mediaTypes.map((type) => [type, { schema: { type: "string", format: "binary" } }]),
      );
  }

  for (const [schema, fields] of Object.entries(LIST_VALUE_FIELDS))
    for (const [field, items] of Object.entries(fields)) {
      const property = schemas[schema]?.properties?.[field];
      if (property === undefined) throw new Error(`${schema}.${field}: no such field in the generated document`);
      schemas[schema].properties[field] = {
        type: "array",
        items,
        ...(property.description === undefined ? {} : { description: property.description }),
      };
    }
  for (const name of ["ListValue", "GoogleProtobufValue"])
    if (schemas[name] !== undefined && !isReferenced(document, name)) delete schemas[name];
  for (const name of requestSchemas(document)) schemas[name].additionalProperties = false;

  if (schemas[ERROR_SCHEMA] === undefined) throw new Error(`the generated document has no ${ERROR_SCHEMA} schema`);
  schemas[ERROR_SCHEMA].description = ERROR_DESCRIPTION;

  document.paths[OPENAPI_PATH] = {
    get: {
      tags: ["OpenAPI"],
      description:
        "This document: the OpenAPI 3 description of the HTTP API, generated from proto/. No API key needed.",
      operationId: "GetOpenApiDocument",
      security: [],
      responses: {
        "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } },
      },
    },
  };
  document.components.securitySchemes = {
    [BEARER_SCHEME]: {
      type: "http",
      scheme: "bearer",
      description: "An API key: `Authorization: Bearer <api key>`; its scopes decide which calls it may make.",
    },
  };
  document.tags = [
    ...(document.tags ?? []),
    { name: "OpenAPI", description: "The description of this API, served by the gateway." },
  ];
  return document;
}

/** The committed form: two-space JSON and a final newline, so that a regeneration diffs line by line. */
export function renderOpenApiJson(document: Json): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(join(dir, command)));
}

export const openApiTarget: GenerateTarget = {
  name: "OpenAPI document",
  dir: OPENAPI_DOCUMENT.dir,
  files: [OPENAPI_DOCUMENT.file],
  missingToolchain: () => (onPath("go") ? undefined : "go is not installed (protoc-gen-openapi is built with it)"),
  generate(root, outputBase) {
    // The pinned protoc-gen-openapi (built once under the cache), first on PATH: buf runs it as a local plugin.
    const plugin = execFileSync("sh", ["openapi/tools.sh"], { cwd: root, encoding: "utf8" }).trim();
    const scratch = mkdtempSync(join(tmpdir(), "kurt-openapi-"));
    try {
      execFileSync(
        join(root, "node_modules", ".bin", "buf"),
        ["generate", "--template", "openapi/buf.gen.yaml", "-o", scratch],
        { cwd: root, stdio: "inherit", env: { ...process.env, PATH: `${plugin}:${process.env.PATH ?? ""}` } },
      );
      const document = completeOpenApiDocument(parse(readFileSync(join(scratch, "openapi.yaml"), "utf8")));
      const dir = resolve(root, outputBase, OPENAPI_DOCUMENT.dir);
      mkdirSync(dir, { recursive: true });
      // Biome checks JSON too: the committed file is what `biome format` leaves.
      const formatted = execFileSync(
        join(root, "node_modules", ".bin", "biome"),
        ["format", `--stdin-file-path=${OPENAPI_DOCUMENT.dir}/${OPENAPI_DOCUMENT.file}`],
        { cwd: root, input: renderOpenApiJson(document), encoding: "utf8" },
      );
      writeFileSync(join(dir, OPENAPI_DOCUMENT.file), formatted);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
