import type { ErrorCode } from "@kurt/core/error-status";

export type { ErrorCode };

/**
 * The errors domain code throws. Each has a stable code; the meaning travels
 * to clients through exactly one mapping (grpc-errors.ts), whose statuses come
 * from @kurt/core's error-status table. `field` names the request field at
 * fault so that the client's message says what to fix.
 */
export class KurtError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(field === undefined ? message : `${field}: ${message}`, options);
    this.name = "KurtError";
  }
}

export const invalidArgument = (field: string, reason: string) => new KurtError("invalid_argument", reason, field);
export const notFound = (what: string) => new KurtError("not_found", `${what} not found`);
export const alreadyExists = (field: string, reason: string) => new KurtError("already_exists", reason, field);
export const conflict = (field: string, reason: string) => new KurtError("conflict", reason, field);
export const gone = (reason: string) => new KurtError("gone", reason);
export const unauthenticated = (reason: string) => new KurtError("unauthenticated", reason);
export const permissionDenied = (reason: string) => new KurtError("permission_denied", reason);
export const unavailable = (reason: string, cause?: unknown) =>
  new KurtError("unavailable", reason, undefined, { cause });
