import { Metadata, type ServiceError, type status } from "@grpc/grpc-js";
import { ERROR_STATUS, INTERNAL_ERROR_STATUS } from "@kurt/core/error-status";
import { ERROR_CODE_KEY, ERROR_FIELD_KEY } from "@kurt/core/headers";
import { KurtError } from "./errors.js";

/**
 * The one place where an error becomes a gRPC status (the status itself is
 * @kurt/core's error-status table). Domain errors keep their message (it
 * names the field and the reason); anything else is an INTERNAL error whose
 * cause is for the logs only, never for the client.
 */
export function toServiceError(error: unknown): { serviceError: Partial<ServiceError>; internal: boolean } {
  if (error instanceof KurtError) {
    const metadata = new Metadata();
    metadata.set(ERROR_CODE_KEY, error.code);
    if (error.field !== undefined) metadata.set(ERROR_FIELD_KEY, error.field);
    const code: status = ERROR_STATUS[error.code].grpc;
    return { serviceError: { code, details: error.message, metadata }, internal: false };
  }
  return { serviceError: { code: INTERNAL_ERROR_STATUS.grpc, details: "internal error" }, internal: true };
}
