#!/usr/bin/env bash
# Contract tests with schemathesis (pinned 4.x, in a virtual environment): a sandbox hub is
# started on a port of its own and tested as a claimant representative (CR00001) and as a
# compensator (CM00001) with every check on, stateful testing included (the document's links
# chain a claim's id and ETag into its actions). Exceptions, each with its reason, are in
# .ci/schemathesis.toml. Fails on any failure or error.
#
#   scripts/contract-test.sh                 # uses target/debug/claims-exchange
#   HUB_BIN=path/to/claims-exchange scripts/contract-test.sh
#   CONTRACT_MAX_EXAMPLES=50 CONTRACT_MAX_TIME=600 scripts/contract-test.sh   # a longer run
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
hub_bin=${HUB_BIN:-target/debug/claims-exchange}
port=${CONTRACT_PORT:-18200}
max_examples=${CONTRACT_MAX_EXAMPLES:-10}
max_time=${CONTRACT_MAX_TIME:-120}
venv=.ci/.venv-schemathesis

[ -x "$hub_bin" ] || { echo "no hub binary at $hub_bin (cargo build first)" >&2; exit 1; }
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
command -v jq >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq jq >/dev/null; } || {
  echo "jq is needed" >&2; exit 1; }

work=$(mktemp -d)
hub_pid=
cleanup() {
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null && wait "$hub_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
while curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; do port=$((port + 1)); done
base="http://127.0.0.1:$port"
(cd "$work" && exec "$root/$hub_bin" serve --sandbox --listen "127.0.0.1:$port" \
  --clock 2025-08-22T09:00:00Z --reset-clock --credentials-file creds.json >hub.log 2>&1) &
hub_pid=$!
for _ in $(seq 1 60); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")" = 200 ] && [ -s "$work/creds.json" ] && break
  sleep 1
done

token() {
  local client secret
  client=$(jq -r --arg c "$1" '.organisations[] | select(.code == $c) | .client_id' "$work/creds.json")
  secret=$(jq -r --arg c "$1" '.organisations[] | select(.code == $c) | .client_secret' "$work/creds.json")
  curl -sf "$base/oauth/token" -d grant_type=client_credentials -d client_id="$client" \
    -d client_secret="$secret" | jq -r .access_token
}
claimant=$(token CR00001)
compensator=$(token CM00001)

# Claims addressed to the compensator, so its run has claims to list, read and act on.
curl -sf "$base/openapi.json" \
  | jq '.paths["/v1/claims"].post.requestBody.content["application/json"].examples.rta.value' >"$work/rta.json"
for _ in 1 2 3 4 5; do
  curl -sf -o /dev/null "$base/v1/claims" -H "Authorization: Bearer $claimant" \
    -H 'Content-Type: application/json' -d @"$work/rta.json"
done

status=0
for role in claimant compensator; do
  echo "== schemathesis as the $role"
  bearer=$claimant
  [ "$role" = compensator ] && bearer=$compensator
  "$venv/bin/st" --config-file .ci/schemathesis.toml run "$base/openapi.json" \
    --header "Authorization: Bearer $bearer" --max-examples "$max_examples" --max-time "$max_time" \
    --seed 20261201 --no-color --report junit --report-dir "$work/report-$role" || status=1
done
if [ "$status" != 0 ]; then
  echo "contract tests failed; the hub's log:" >&2
  tail -n 30 "$work/hub.log" >&2
fi
exit "$status"
