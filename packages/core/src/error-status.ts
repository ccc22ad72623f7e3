/**
 * The one map from what an error means to its gRPC status and its HTTP
 * status (DESIGN.md §2). Every other mapping is derived from it: the gRPC
 * statuses the services send (@kurt/platform grpc-errors.ts), the resolver's
 * own HTTP answers (http-errors.ts), the google.rpc.Status code of Envoy's
 * own replies (gateway/src/local-replies.ts) and the SDK's reading of a
 * status it got without Kurt's error-code trailer.
 */

/** gRPC's status codes (grpc/doc/statuscodes.md) as plain numbers: this package has no driver to take them from. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

export interface ErrorStatus {
  readonly grpc: GrpcCode;
  readonly http: number;
}

/** Kurt's error codes, the `code` of a domain error and of the x-kurt-error-code trailer. */
export type ErrorCode =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "already_exists"
  | "conflict"
  | "gone"
  | "resource_exhausted"
  | "unavailable";

export const ERROR_STATUS: Readonly<Record<ErrorCode, ErrorStatus>> = {
  invalid_argument: { grpc: GrpcCode.INVALID_ARGUMENT, http: 400 },
  unauthenticated: { grpc: GrpcCode.UNAUTHENTICATED, http: 401 },
  permission_denied: { grpc: GrpcCode.PERMISSION_DENIED, http: 403 },
  not_found: { grpc: GrpcCode.NOT_FOUND, http: 404 },
  already_exists: { grpc: GrpcCode.ALREADY_EXISTS, http: 409 },
  // The thing is in a state that refuses the call (a domain that still holds
  // links cannot be deleted). ABORTED rather than FAILED_PRECONDITION, which
  // the contract gives to "gone"; Envoy's transcoder maps ABORTED to 409 too.
  conflict: { grpc: GrpcCode.ABORTED, http: 409 },
  // Disabled, deleted, expired or out of visits: raised only by the resolver's lookup.
  gone: { grpc: GrpcCode.FAILED_PRECONDITION, http: 410 },
  resource_exhausted: { grpc: GrpcCode.RESOURCE_EXHAUSTED, http: 429 },
  unavailable: { grpc: GrpcCode.UNAVAILABLE, http: 503 },
};

/** Anything that is not one of the errors above: a bug, whose cause is for the logs only. */
export const INTERNAL_ERROR_STATUS: ErrorStatus = { grpc: GrpcCode.INTERNAL, http: 500 };

export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[];

/** The error code a gRPC status means, when it is one of the table's. */
export function errorCodeOfGrpc(grpc: number): ErrorCode | undefined {
  return ERROR_CODES.find((code) => ERROR_STATUS[code].grpc === grpc);
}
