"""KurtError: what every failed call raises."""

from __future__ import annotations

import grpc

CODES = (
    "invalid_argument",
    "not_found",
    "already_exists",
    "conflict",
    "gone",
    "unauthenticated",
    "permission_denied",
    "resource_exhausted",
    "unavailable",
    "internal",
)

# Used when the server sent no x-kurt-error-code (e.g. Envoy itself answered).
_CODE_OF_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: "invalid_argument",
    grpc.StatusCode.OUT_OF_RANGE: "invalid_argument",
    grpc.StatusCode.NOT_FOUND: "not_found",
    grpc.StatusCode.ALREADY_EXISTS: "already_exists",
    # A domain that still holds links cannot be deleted (HTTP 409).
    grpc.StatusCode.ABORTED: "conflict",
    grpc.StatusCode.FAILED_PRECONDITION: "gone",
    grpc.StatusCode.UNAUTHENTICATED: "unauthenticated",
    grpc.StatusCode.PERMISSION_DENIED: "permission_denied",
    grpc.StatusCode.RESOURCE_EXHAUSTED: "resource_exhausted",
    grpc.StatusCode.UNAVAILABLE: "unavailable",
    grpc.StatusCode.DEADLINE_EXCEEDED: "unavailable",
    grpc.StatusCode.CANCELLED: "unavailable",
}


class KurtError(Exception):
    """A refused or failed call: a stable ``code`` (one of CODES), the
    server's message (it names the field), and ``field`` when the server
    named the request field at fault."""

    def __init__(self, code: str, message: str, field: str | None = None, status: grpc.StatusCode | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def __repr__(self) -> str:
        return f"KurtError(code={self.code!r}, message={self.message!r}, field={self.field!r})"

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def from_rpc_error(error: grpc.RpcError) -> KurtError:
    status = error.code() if hasattr(error, "code") else None
    trailers = dict(error.trailing_metadata() or ()) if hasattr(error, "trailing_metadata") else {}
    sent = trailers.get("x-kurt-error-code")
    code = sent if sent in CODES else _CODE_OF_STATUS.get(status, "internal")
    message = (error.details() if hasattr(error, "details") else None) or code
    return KurtError(code, message, trailers.get("x-kurt-error-field") or None, status)
