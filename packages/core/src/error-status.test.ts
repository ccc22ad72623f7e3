import { test } from "uvu";
import * as assert from "uvu/assert";
import { ERROR_CODES, ERROR_STATUS, errorCodeOfGrpc, GrpcCode } from "./error-status.js";

test("each error code maps to DESIGN.md §2's gRPC status and HTTP status", () => {
  const design = ERROR_CODES.map((code) => [code, ERROR_STATUS[code].grpc, ERROR_STATUS[code].http]);
  assert.equal(design, [
    ["invalid_argument", 3, 400],
    ["unauthenticated", 16, 401],
    ["permission_denied", 7, 403],
    ["not_found", 5, 404],
    ["already_exists", 6, 409],
    ["conflict", 10, 409],
    ["gone", 9, 410],
    ["resource_exhausted", 8, 429],
    ["unavailable", 14, 503],
  ]);
});

test("no two error codes share a gRPC status, so each reads back to its code; only 409 is shared over HTTP", () => {
  for (const code of ERROR_CODES) assert.is(errorCodeOfGrpc(ERROR_STATUS[code].grpc), code);
  // Envoy's local replies read the table backwards, from HTTP status to gRPC
  // code: only 409 is shared (already_exists and conflict), a status Envoy never answers itself.
  const httpStatuses = ERROR_CODES.map((code) => ERROR_STATUS[code].http);
  const shared = httpStatuses.filter((status, index) => httpStatuses.indexOf(status) !== index);
  assert.equal(shared, [409]);
});

test("a status outside the table reads back to no error code", () => {
  assert.is(errorCodeOfGrpc(GrpcCode.INTERNAL), undefined);
  assert.is(errorCodeOfGrpc(GrpcCode.OK), undefined);
});

test.run();
