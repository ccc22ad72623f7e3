#!/usr/bin/env sh
# Makes (once) the Python SDK's venv under the cache and prints its path.
# Rebuilt only when requirements-dev.txt changes; downloads from PyPI.
set -eu
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
cache=${KURT_CACHE_DIR:-${KURT_STATE_DIR:-$root/.kurt}/cache}
venv="$cache/sdk-python-venv"
stamp="$venv/kurt-requirements.sha256"
want=$(sha256sum "$here/requirements-dev.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "sdk/python: installing the venv in $venv (PyPI)" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  # Debian's own Python: a pyenv or conda one may move, taking the venv's interpreter with it.
  python=/usr/bin/python3
  [ -x "$python" ] || python=python3
  "$python" -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt" >&2
  echo "$want" > "$stamp"
fi
echo "$venv"
