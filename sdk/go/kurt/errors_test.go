package kurt

import (
	"errors"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// toError without a stack: Kurt's trailers first, else the gRPC status read
// back through DESIGN.md §2's table.

func TestTrailersWinOverTheStatus(t *testing.T) {
	trailer := metadata.Pairs("x-kurt-error-code", "conflict", "x-kurt-error-field", "domain")
	err := toError(status.Error(codes.Aborted, "domain: go.example.com still holds links"), trailer)
	var kurtErr *Error
	if !errors.As(err, &kurtErr) || kurtErr.Code != CodeConflict || kurtErr.Field != "domain" || kurtErr.Status != codes.Aborted {
		t.Fatalf("%#v", err)
	}
	if kurtErr.Error() != "conflict: domain: go.example.com still holds links" {
		t.Fatalf("message %q", kurtErr.Error())
	}
}

func TestEveryStatusOfTheContractReadsBackToItsCode(t *testing.T) {
	for grpcStatus, want := range map[codes.Code]string{
		codes.InvalidArgument:    CodeInvalidArgument,
		codes.Unauthenticated:    CodeUnauthenticated,
		codes.PermissionDenied:   CodePermissionDenied,
		codes.NotFound:           CodeNotFound,
		codes.AlreadyExists:      CodeAlreadyExists,
		codes.Aborted:            CodeConflict,
		codes.FailedPrecondition: CodeGone,
		codes.ResourceExhausted:  CodeResourceExhausted,
		codes.Unavailable:        CodeUnavailable,
		codes.DeadlineExceeded:   CodeUnavailable,
		codes.DataLoss:           CodeInternal,
	} {
		if got := toError(status.Error(grpcStatus, "from Envoy"), nil); !IsCode(got, want) {
			t.Errorf("%v: got %v, want %s", grpcStatus, got, want)
		}
	}
	if toError(nil, nil) != nil {
		t.Error("nil error")
	}
}

func TestAnUnknownTrailerCodeFallsBackToTheStatus(t *testing.T) {
	err := toError(status.Error(codes.Aborted, "x"), metadata.Pairs("x-kurt-error-code", "tomorrow's_code"))
	if !IsCode(err, CodeConflict) {
		t.Fatalf("%v", err)
	}
}
