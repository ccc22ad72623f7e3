import { ERROR_STATUS, INTERNAL_ERROR_STATUS } from "@kurt/core/error-status";
import { KurtError } from "./errors.js";

export interface HttpError {
  readonly status: number;
  /**
   * google.rpc.Status as JSON, the shape of every other error body of the
   * public listener (the transcoder's and Envoy's own local replies).
   */
  readonly body: string;
  /** Not a domain error: its cause is for the logs only. */
  readonly internal: boolean;
}

function statusBody(grpcCode: number, message: string): string {
  return JSON.stringify({ code: grpcCode, message, details: [] });
}

/**
 * The one place where an error becomes an HTTP answer of a service's own HTTP
 * listener; both statuses come from @kurt/core's error-status table.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof KurtError) {
    const { grpc, http } = ERROR_STATUS[error.code];
    return { status: http, body: statusBody(grpc, error.message), internal: false };
  }
  return {
    status: INTERNAL_ERROR_STATUS.http,
    body: statusBody(INTERNAL_ERROR_STATUS.grpc, "internal error"),
    internal: true,
  };
}
