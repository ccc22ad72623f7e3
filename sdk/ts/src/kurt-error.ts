import { type Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { ERROR_CODES, type ErrorCode, errorCodeOfGrpc } from "@kurt/core/error-status";
import { ERROR_CODE_KEY, ERROR_FIELD_KEY } from "@kurt/core/headers";

/** The error codes of Kurt's API (DESIGN.md §2), the same names the services use. */
export type KurtErrorCode = ErrorCode | "internal";

const KNOWN_CODES: ReadonlySet<string> = new Set<KurtErrorCode>([...ERROR_CODES, "internal"]);

/**
 * Used when the server sent no x-kurt-error-code (e.g. Envoy itself answered):
 * @kurt/core's error-status table read backwards, and a few statuses only
 * gRPC itself or Envoy produce.
 */
function codeOfStatus(grpcStatus: status): KurtErrorCode {
  switch (grpcStatus) {
    case status.OUT_OF_RANGE:
      return "invalid_argument";
    // A deadline that passed is, for the caller, a server that did not answer in time.
    case status.DEADLINE_EXCEEDED:
    case status.CANCELLED:
      return "unavailable";
    default:
      return errorCodeOfGrpc(grpcStatus) ?? "internal";
  }
}

/** Every failed call rejects with a KurtError: a stable `code`, the server's message, and the field at fault if known. */
export class KurtError extends Error {
  override readonly name = "KurtError";
  readonly code: KurtErrorCode;
  /** The request field the server rejected (from the x-kurt-error-field trailer), when it named one. */
  readonly field: string | undefined;
  /** The raw gRPC status code, for callers that need it. */
  readonly grpcStatus: status;

  constructor(
    code: KurtErrorCode,
    message: string,
    options: { field?: string; grpcStatus?: status; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.grpcStatus = options.grpcStatus ?? status.UNKNOWN;
  }
}

function firstString(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Turns a grpc-js error into a KurtError; other errors (bugs in the caller) become "internal". */
export function toKurtError(error: unknown): KurtError {
  if (error instanceof KurtError) return error;
  const serviceError = error as Partial<ServiceError>;
  if (typeof serviceError?.code !== "number") {
    return new KurtError("internal", error instanceof Error ? error.message : String(error), { cause: error });
  }
  const sent = firstString(serviceError.metadata, ERROR_CODE_KEY);
  const code: KurtErrorCode =
    sent !== undefined && KNOWN_CODES.has(sent) ? (sent as KurtErrorCode) : codeOfStatus(serviceError.code);
  const field = firstString(serviceError.metadata, ERROR_FIELD_KEY);
  const message = serviceError.details || serviceError.message || code;
  return new KurtError(code, message, {
    grpcStatus: serviceError.code,
    cause: error,
    ...(field === undefined ? {} : { field }),
  });
}
