#!/usr/bin/env sh
# The Python SDK's tests against the running stack (./kurt up first):
#   sdk/python/test.sh [pytest args]
# Makes the pinned venv under the cache once (sdk/python/venv.sh), finds the
# stack's gRPC address and admin key with ./kurt env, then runs pytest.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
venv=$("$here/venv.sh")
eval "$("$root/kurt" env)"
export KURT_GRPC KURT_API_KEY
cd "$here"
# No __pycache__ in the tree (it would also show as extra files in the generated check).
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
