#!/usr/bin/env sh
# Installs (once) the pinned protoc-gen-openapi of github.com/google/gnostic
# from the Go module proxy into the cache and prints its folder; buf runs it
# as a local plugin (openapi/buf.gen.yaml). The same way as sdk/go/tools.sh.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/.." && pwd)
cache=${KURT_CACHE_DIR:-${KURT_STATE_DIR:-$root/.kurt}/cache}
PROTOC_GEN_OPENAPI=v0.7.1
bin="$cache/openapi-plugins/protoc-gen-openapi-$PROTOC_GEN_OPENAPI"
if [ ! -x "$bin/protoc-gen-openapi" ]; then
  echo "openapi: installing protoc-gen-openapi $PROTOC_GEN_OPENAPI in $bin" >&2
  mkdir -p "$bin"
  # Outside any module, so that no go.mod is touched.
  (cd "$bin" && GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/google/gnostic/cmd/protoc-gen-openapi@$PROTOC_GEN_OPENAPI" >&2)
fi
echo "$bin"
