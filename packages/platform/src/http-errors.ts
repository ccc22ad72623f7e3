import { status } from "@grpc/grpc-js";
import { type ErrorCode, KurtError } from "./errors.js";
import { GRPC_STATUS_OF } from "./grpc-errors.js";

/** DESIGN.md §2's mapping of meanings to HTTP, the same one the gateway applies to transcoded calls. */
const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  gone: 410,
  resource_exhausted: 429,
  unavailable: 503,
};

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

/** The one place where an error becomes an HTTP answer of a service's own HTTP listener. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof KurtError) {
    const body = JSON.stringify({ code: GRPC_STATUS_OF[error.code], message: error.message, details: [] });
    return { status: HTTP_STATUS_OF[error.code], body, internal: false };
  }
  return {
    status: 500,
    body: JSON.stringify({ code: status.INTERNAL, message: "internal error", details: [] }),
    internal: true,
  };
}
