import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { ERROR_CODE_KEY, ERROR_FIELD_KEY } from "@kurt/core/headers";
import { type ErrorCode, KurtError } from "./errors.js";

/** The gRPC status of each domain error code (DESIGN.md §2). */
export const GRPC_STATUS_OF: Record<ErrorCode, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  unauthenticated: status.UNAUTHENTICATED,
  permission_denied: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  already_exists: status.ALREADY_EXISTS,
  gone: status.FAILED_PRECONDITION,
  resource_exhausted: status.RESOURCE_EXHAUSTED,
  unavailable: status.UNAVAILABLE,
};

/**
 * The one place where an error becomes a gRPC status. Domain errors keep
 * their message (it names the field and the reason); anything else is an
 * INTERNAL error whose cause is for the logs only, never for the client.
 */
export function toServiceError(error: unknown): { serviceError: Partial<ServiceError>; internal: boolean } {
  if (error instanceof KurtError) {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_KEY, error.code);
    if (error.field !== undefined) metadata.set(ERROR_FIELD_KEY, error.field);
    return { serviceError: { code: GRPC_STATUS_OF[error.code], details: error.message, metadata }, internal: false };
  }
  return { serviceError: { code: status.INTERNAL, details: "internal error" }, internal: true };
}
