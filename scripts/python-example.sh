#!/usr/bin/env bash
# Generates a Python client from openapi/openapi.json with openapi-python-client and drives a claim
# from submission to `closed` (outcome `settled`) with it: examples/python/walk_claim.py.
#
#   scripts/python-example.sh                     # starts a sandbox hub itself, then stops it
#   HUB_URL=http://127.0.0.1:8080 HUB_CREDENTIALS=creds.json scripts/python-example.sh
#
# Environment:
#   HUB_URL          base URL of a running sandbox hub; unset: the script starts one
#   HUB_CREDENTIALS  that hub's credentials file (`serve --sandbox --credentials-file FILE`);
#                    required with HUB_URL
#   HUB_BIN          the hub binary to start (default target/debug/claims-exchange)
#   HUB_PORT         the port of the hub it starts (default 18091)
#   PYTHON           the interpreter for the virtual environment (default python3.11, else python3)
#   ALLOW_GENERATOR_WARNINGS=1
#                    report the generator's warnings but go on (for trying the rest while the
#                    document still has them); without it any warning fails the script, because
#                    a warning means part of the contract is missing from the generated client
#
# Needs Python 3.11 or later and access to PyPI the first time (the virtual environment stays in
# .ci/.venv-python-example; every version is pinned in examples/python/constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

example=examples/python
venv=.ci/.venv-python-example
constraints=$example/constraints.txt
step() { printf '\n== %s\n' "$*"; }

work=$(mktemp -d)
hub_pid=
cleanup() {
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
    kill "$hub_pid" 2>/dev/null || true
    wait "$hub_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "virtual environment $venv with openapi-python-client"
if [ ! -x "$venv/bin/python" ]; then
  python=${PYTHON:-$(command -v python3.11 || command -v python3)}
  "$python" -m venv "$venv"
fi
# With every version pinned, pip needs no network once they are installed.
"$venv/bin/pip" install --quiet --disable-pip-version-check -c "$constraints" \
  'openapi-python-client==0.29.1' poetry-core
# The generator runs ruff (installed with it) on its output: it must be on PATH.
export PATH="$PWD/$venv/bin:$PATH"

step "generate the client from openapi/openapi.json"
client_dir=$work/claims-exchange-client
if [ "${ALLOW_GENERATOR_WARNINGS:-}" = 1 ]; then strict=--no-fail-on-warning; else strict=--fail-on-warning; fi
status=0
openapi-python-client generate --path openapi/openapi.json --output-path "$client_dir" \
  --overwrite --config "$example/generator.yaml" "$strict" >"$work/generate.log" 2>&1 || status=$?
cat "$work/generate.log"
# The generator reports what it cannot generate as warnings, such as "WARNING parsing GET /v1/…"
# followed by "… will be omitted from generated client"; --fail-on-warning makes it exit 1 on
# them, and the log is searched too, for anything it prints without failing.
warned=0
grep -v '^Generating ' "$work/generate.log" \
  | grep -Eiq 'warning|error|skipping|omitted|unsupported|cannot|unable|not in PATH' && warned=1
if [ "$status" -ne 0 ] || [ "$warned" -eq 1 ]; then
  if [ "$status" -eq 0 ] && [ "${ALLOW_GENERATOR_WARNINGS:-}" = 1 ]; then
    echo "the generator printed warnings (above); going on because ALLOW_GENERATOR_WARNINGS=1" >&2
  elif [ "$warned" -eq 1 ]; then
    echo "the generator printed warnings (above): the client must generate without any" >&2
    echo "(ALLOW_GENERATOR_WARNINGS=1 goes on regardless)" >&2
    exit 1
  else
    echo "openapi-python-client failed (exit $status)" >&2
    exit 1
  fi
fi

step "install the generated package claims_exchange_client"
# (pip reinstalls a package given as a directory every time; its dependencies stay pinned.)
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation \
  -c "$constraints" "$client_dir"

# Is the hub at HUB_URL ready (GET /health/ready answers 200)? Asked through the generated client too.
hub_ready() {
  "$venv/bin/python" - <<'PY'
import os, sys
import httpx
from claims_exchange_client import Client
from claims_exchange_client.api.operations import ready
try:
    response = ready.sync_detailed(client=Client(base_url=os.environ["HUB_URL"], timeout=httpx.Timeout(2.0)))
except httpx.HTTPError:
    sys.exit(1)
sys.exit(0 if response.status_code == 200 else 1)
PY
}

if [ -z "${HUB_URL:-}" ]; then
  bin=${HUB_BIN:-target/debug/claims-exchange}
  [ -x "$bin" ] || { echo "no hub binary at $bin (build it, or set HUB_BIN or HUB_URL)" >&2; exit 1; }
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  port=${HUB_PORT:-18091}
  export HUB_URL=http://127.0.0.1:$port HUB_CREDENTIALS=$work/hub/credentials.json
  if hub_ready; then
    echo "a hub already answers on $HUB_URL: stop it, or set HUB_PORT to a free port" >&2
    exit 1
  fi
  step "start a sandbox hub on $HUB_URL"
  mkdir "$work/hub"
  # The SQLite database goes to data/ under the working directory: a new one each run.
  (cd "$work/hub" && exec "$bin" serve --sandbox --listen "127.0.0.1:$port" \
    --clock 2025-08-22T09:00:00Z --reset-clock --credentials-file "$HUB_CREDENTIALS" \
    >hub.log 2>&1) &
  hub_pid=$!
  ready=0
  for _ in $(seq 1 60); do
    kill -0 "$hub_pid" 2>/dev/null || break
    if hub_ready; then ready=1; break; fi
    sleep 0.5
  done
  if [ "$ready" -ne 1 ] || ! kill -0 "$hub_pid" 2>/dev/null || [ ! -s "$HUB_CREDENTIALS" ]; then
    echo "the hub did not become ready; its log:" >&2
    cat "$work/hub/hub.log" >&2
    exit 1
  fi
else
  : "${HUB_CREDENTIALS:?set HUB_CREDENTIALS to the credentials file of the hub at HUB_URL}"
fi

step "walk a claim with the generated client ($example/walk_claim.py)"
"$venv/bin/python" "$example/walk_claim.py"
