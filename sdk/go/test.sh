#!/usr/bin/env sh
# The Go SDK's tests against the running stack (./kurt up first):
#   sdk/go/test.sh [go test args]
# Dependencies come from the Go module proxy (go.sum pins them); the stack's
# gRPC address and admin key from ./kurt env.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
eval "$("$root/kurt" env)"
export KURT_GRPC KURT_API_KEY
cd "$here"
exec go test -count=1 "$@" ./...
