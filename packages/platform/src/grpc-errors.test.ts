import { Metadata, status } from "@grpc/grpc-js";
import { GrpcCode } from "@kurt/core/error-status";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { gone, invalidArgument } from "./errors.js";
import { toServiceError } from "./grpc-errors.js";

test("@kurt/core's gRPC codes are grpc-js's, name for name", () => {
  for (const [name, code] of Object.entries(GrpcCode)) {
    assert.is(status[name as keyof typeof status], code, name);
  }
});

test("a domain error keeps its message and carries its code and field as trailers", () => {
  const { serviceError, internal } = toServiceError(invalidArgument("url", "must be absolute"));
  assert.is(internal, false);
  assert.is(serviceError.code, status.INVALID_ARGUMENT);
  assert.is(serviceError.details, "url: must be absolute");
  assert.ok(serviceError.metadata instanceof Metadata);
  assert.equal(serviceError.metadata.get("x-kurt-error-code"), ["invalid_argument"]);
  assert.equal(serviceError.metadata.get("x-kurt-error-field"), ["url"]);
  assert.is(toServiceError(gone("link is disabled")).serviceError.code, status.FAILED_PRECONDITION);
});

test("any other error is INTERNAL and tells the client nothing of its cause", () => {
  const { serviceError, internal } = toServiceError(new Error("pool exhausted at 10.0.0.7"));
  assert.is(internal, true);
  assert.is(serviceError.code, status.INTERNAL);
  assert.is(serviceError.details, "internal error");
});

test.run();
