import { Metadata, status } from "@grpc/grpc-js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { KurtError, toKurtError } from "./kurt-error.js";

function serviceError(code: status, details: string, trailers: Record<string, string> = {}) {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

test("the server's code and field trailers win over the status", () => {
  const error = toKurtError(serviceError(status.FAILED_PRECONDITION, "link expired", { "x-kurt-error-code": "gone" }));
  assert.instance(error, KurtError);
  assert.is(error.code, "gone");
  assert.is(error.message, "link expired");
  assert.is(error.field, undefined);
  const conflict = toKurtError(
    serviceError(status.ALREADY_EXISTS, "code: taken", {
      "x-kurt-error-code": "already_exists",
      "x-kurt-error-field": "code",
    }),
  );
  assert.is(conflict.field, "code");
  assert.is(conflict.grpcStatus, status.ALREADY_EXISTS);
  const holdsLinks = toKurtError(
    serviceError(status.ABORTED, "domain: go.example.com still holds links", { "x-kurt-error-code": "conflict" }),
  );
  assert.is(holdsLinks.code, "conflict");
  assert.is(holdsLinks.grpcStatus, status.ABORTED);
});

test("without trailers (Envoy answered) the status decides; unknown ones are internal", () => {
  assert.is(toKurtError(serviceError(status.UNAVAILABLE, "no healthy upstream")).code, "unavailable");
  assert.is(toKurtError(serviceError(status.DEADLINE_EXCEEDED, "deadline")).code, "unavailable");
  assert.is(toKurtError(serviceError(status.DATA_LOSS, "?")).code, "internal");
  assert.is(toKurtError(new TypeError("bug")).code, "internal");
});

test("without trailers every gRPC status of DESIGN.md §2 reads back to its error code", () => {
  const read = [
    status.INVALID_ARGUMENT,
    status.UNAUTHENTICATED,
    status.PERMISSION_DENIED,
    status.NOT_FOUND,
    status.ALREADY_EXISTS,
    status.FAILED_PRECONDITION,
    status.ABORTED,
    status.RESOURCE_EXHAUSTED,
    status.UNAVAILABLE,
  ].map((code) => toKurtError(serviceError(code, "from Envoy")).code);
  assert.equal(read, [
    "invalid_argument",
    "unauthenticated",
    "permission_denied",
    "not_found",
    "already_exists",
    "gone",
    "conflict",
    "resource_exhausted",
    "unavailable",
  ]);
});

test.run();
