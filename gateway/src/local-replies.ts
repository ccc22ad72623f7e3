import type { EnvoyObject } from "./envoy-clusters.js";

/**
 * Errors Envoy makes itself (unknown route, rate limit, no healthy replica,
 * body the transcoder cannot parse) get the same JSON shape as the errors
 * the services send through the transcoder: google.rpc.Status, whose `code`
 * is a gRPC code. The HTTP status is kept; only the body is rewritten.
 */
const GRPC_CODE_FOR_HTTP_STATUS: ReadonlyArray<readonly [httpStatus: number, grpcCode: number]> = [
  [400, 3], // INVALID_ARGUMENT
  [401, 16], // UNAUTHENTICATED
  [403, 7], // PERMISSION_DENIED
  [404, 5], // NOT_FOUND
  [405, 12], // UNIMPLEMENTED
  [409, 6], // ALREADY_EXISTS
  [410, 9], // FAILED_PRECONDITION (gone)
  [413, 3], // INVALID_ARGUMENT
  [415, 3], // INVALID_ARGUMENT
  [429, 8], // RESOURCE_EXHAUSTED
  [501, 12], // UNIMPLEMENTED
  [503, 14], // UNAVAILABLE
  [504, 4], // DEADLINE_EXCEEDED
];
const GRPC_UNKNOWN = 2;

function statusFilter(op: "EQ" | "GE", value: number): EnvoyObject {
  return { status_code_filter: { comparison: { op, value: { default_value: value, runtime_key: "kurt_unused" } } } };
}

function jsonBody(grpcCode: number): EnvoyObject {
  return {
    json_format: { code: grpcCode, message: "%LOCAL_REPLY_BODY%", details: [] },
    content_type: "application/json",
  };
}

/**
 * HTTP connection manager `local_reply_config`; successes (the ceiling's 302,
 * /healthz) are left alone. A body over the limit is refused by the
 * transcoder or, far over it, by Envoy's buffer limit, each with its own
 * wording; both get one message that says what the limit is.
 */
export function renderJsonLocalReplies(maxRequestBodyBytes: number): EnvoyObject {
  const tooLarge = `request body: larger than the limit of ${maxRequestBodyBytes} bytes`;
  return {
    mappers: [
      ...GRPC_CODE_FOR_HTTP_STATUS.map(([httpStatus, grpcCode]) => ({
        filter: statusFilter("EQ", httpStatus),
        ...(httpStatus === 413 ? { body: { inline_string: tooLarge } } : {}),
        body_format_override: jsonBody(grpcCode),
      })),
      { filter: statusFilter("GE", 400), body_format_override: jsonBody(GRPC_UNKNOWN) },
    ],
  };
}
