package kurt

import (
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Error codes of Kurt's API (DESIGN.md §2): the Code of an *Error.
const (
	CodeInvalidArgument   = "invalid_argument"
	CodeNotFound          = "not_found"
	CodeAlreadyExists     = "already_exists"
	CodeConflict          = "conflict"
	CodeGone              = "gone"
	CodeUnauthenticated   = "unauthenticated"
	CodePermissionDenied  = "permission_denied"
	CodeResourceExhausted = "resource_exhausted"
	CodeUnavailable       = "unavailable"
	CodeInternal          = "internal"
)

var knownCodes = map[string]bool{
	CodeInvalidArgument: true, CodeNotFound: true, CodeAlreadyExists: true, CodeConflict: true, CodeGone: true,
	CodeUnauthenticated: true, CodePermissionDenied: true, CodeResourceExhausted: true,
	CodeUnavailable: true, CodeInternal: true,
}

// Used when the server sent no x-kurt-error-code (e.g. Envoy itself answered).
var codeOfStatus = map[codes.Code]string{
	codes.InvalidArgument:    CodeInvalidArgument,
	codes.OutOfRange:         CodeInvalidArgument,
	codes.NotFound:           CodeNotFound,
	codes.AlreadyExists:      CodeAlreadyExists,
	codes.Aborted:            CodeConflict,
	codes.FailedPrecondition: CodeGone,
	codes.Unauthenticated:    CodeUnauthenticated,
	codes.PermissionDenied:   CodePermissionDenied,
	codes.ResourceExhausted:  CodeResourceExhausted,
	codes.Unavailable:        CodeUnavailable,
	codes.DeadlineExceeded:   CodeUnavailable,
	codes.Canceled:           CodeUnavailable,
}

// Error is what every failed call returns: a stable Code (one of the Code…
// constants), the server's Message (it names the field), and Field when the
// server named the request field at fault. Use errors.As to get it.
type Error struct {
	Code    string
	Message string
	Field   string
	Status  codes.Code
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// IsCode reports whether err is a Kurt *Error with that code.
func IsCode(err error, code string) bool {
	var kurtErr *Error
	return errors.As(err, &kurtErr) && kurtErr.Code == code
}

func toError(err error, trailer metadata.MD) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return &Error{Code: CodeInternal, Message: err.Error(), Status: codes.Unknown}
	}
	code := first(trailer, "x-kurt-error-code")
	if !knownCodes[code] {
		code = codeOfStatus[st.Code()]
		if code == "" {
			code = CodeInternal
		}
	}
	message := st.Message()
	if message == "" {
		message = code
	}
	return &Error{Code: code, Message: message, Field: first(trailer, "x-kurt-error-field"), Status: st.Code()}
}

func first(md metadata.MD, key string) string {
	if values := md.Get(key); len(values) > 0 {
		return values[0]
	}
	return ""
}
