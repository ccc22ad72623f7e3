import { ERROR_CODES, ERROR_STATUS, GrpcCode } from "@kurt/core/error-status";
import type { EnvoyObject } from "./envoy-clusters.js";

/**
 * Errors Envoy makes itself (unknown route, rate limit, no healthy replica,
 * body the transcoder cannot parse) get the same JSON shape as the errors
 * the services send through the transcoder: google.rpc.Status, whose `code`
 * is a gRPC code. The HTTP status is kept; only the body is rewritten.
 */

/** Statuses only Envoy answers with, which mean none of Kurt's error codes. */
const ENVOY_ONLY_STATUSES: ReadonlyArray<readonly [httpStatus: number, grpcCode: GrpcCode]> = [
  [405, GrpcCode.UNIMPLEMENTED],
  [413, GrpcCode.INVALID_ARGUMENT],
  [415, GrpcCode.INVALID_ARGUMENT],
  [501, GrpcCode.UNIMPLEMENTED],
  [504, GrpcCode.DEADLINE_EXCEEDED],
];

/**
 * Every HTTP status of DESIGN.md §2's table (read backwards) and of Envoy's
 * own, by status. Two codes share 409 (already_exists, conflict): Envoy never
 * answers 409 itself, and the first code of the table is kept for it.
 */
const GRPC_CODE_FOR_HTTP_STATUS: ReadonlyArray<readonly [httpStatus: number, grpcCode: GrpcCode]> = [
  ...new Map(
    [...ERROR_CODES].reverse().map((code) => [ERROR_STATUS[code].http, ERROR_STATUS[code].grpc] as const),
  ).entries(),
  ...ENVOY_ONLY_STATUSES,
].sort(([a], [b]) => a - b);

function statusFilter(op: "EQ" | "GE", value: number): EnvoyObject {
  return { status_code_filter: { comparison: { op, value: { default_value: value, runtime_key: "kurt_unused" } } } };
}

function jsonBody(grpcCode: number): EnvoyObject {
  return {
    json_format: { code: grpcCode, message: "%LOCAL_REPLY_BODY%", details: [] },
    content_type: "application/json",
  };
}

/** A route whose body limit is not the listener's default, told apart by its request's `:path` (and method). */
export interface BodyLimit {
  /** Matches the whole `:path`, query string included, as the client sent it or as the transcoder rewrote it. */
  readonly pathRegex: string;
  readonly method?: string;
  readonly maxBytes: number;
}

function tooLarge(maxBytes: number): EnvoyObject {
  return { inline_string: `request body: larger than the limit of ${maxBytes} bytes` };
}

/**
 * HTTP connection manager `local_reply_config`; successes (the ceiling's 302,
 * /healthz) are left alone. A body over the limit is refused by the
 * transcoder, the buffer filter or, far over it, by Envoy's buffer limit,
 * each with its own wording; all get one message that says what the limit
 * is, the route's own where it has one (`routeLimits`).
 */
export function renderJsonLocalReplies(
  maxRequestBodyBytes: number,
  routeLimits: readonly BodyLimit[] = [],
): EnvoyObject {
  const routeMappers = routeLimits.map((limit) => ({
    filter: {
      and_filter: {
        filters: [
          statusFilter("EQ", 413),
          { header_filter: { header: { name: ":path", string_match: { safe_regex: { regex: limit.pathRegex } } } } },
          ...(limit.method === undefined
            ? []
            : [{ header_filter: { header: { name: ":method", string_match: { exact: limit.method } } } }]),
        ],
      },
    },
    body: tooLarge(limit.maxBytes),
    body_format_override: jsonBody(GrpcCode.INVALID_ARGUMENT),
  }));
  return {
    mappers: [
      ...routeMappers,
      ...GRPC_CODE_FOR_HTTP_STATUS.map(([httpStatus, grpcCode]) => ({
        filter: statusFilter("EQ", httpStatus),
        ...(httpStatus === 413 ? { body: tooLarge(maxRequestBodyBytes) } : {}),
        body_format_override: jsonBody(grpcCode),
      })),
      { filter: statusFilter("GE", 400), body_format_override: jsonBody(GrpcCode.UNKNOWN) },
    ],
  };
}
