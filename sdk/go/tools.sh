#!/usr/bin/env sh
# Installs (once) the pinned protoc plugins of the Go SDK from the Go module
# proxy into the cache and prints their folder; buf runs them as local plugins.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
cache=${KURT_CACHE_DIR:-${KURT_STATE_DIR:-$root/.kurt}/cache}
PROTOC_GEN_GO=v1.36.12
PROTOC_GEN_GO_GRPC=v1.6.2
bin="$cache/sdk-go-plugins/protoc-gen-go-$PROTOC_GEN_GO-grpc-$PROTOC_GEN_GO_GRPC"
if [ ! -x "$bin/protoc-gen-go" ] || [ ! -x "$bin/protoc-gen-go-grpc" ]; then
  echo "sdk/go: installing protoc-gen-go $PROTOC_GEN_GO and protoc-gen-go-grpc $PROTOC_GEN_GO_GRPC in $bin" >&2
  mkdir -p "$bin"
  # Outside any module, so that sdk/go's go.mod is not touched.
  (cd "$bin" && GOBIN="$bin" GOFLAGS=-mod=mod go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO" >&2)
  (cd "$bin" && GOBIN="$bin" GOFLAGS=-mod=mod go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC" >&2)
fi
echo "$bin"
