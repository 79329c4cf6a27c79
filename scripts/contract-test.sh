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
#   CONTRACT_MAX_TIME=0 CONTRACT_ROLES=compensator CONTRACT_HUB_LOG=/tmp/hub.log scripts/contract-test.sh
#                                            # stateful walks only, as the compensator, keeping the log
#   CONTRACT_HAR_DIR=/tmp/har scripts/contract-test.sh   # every request and response, as HAR files
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
hub_bin=${HUB_BIN:-target/debug/claims-exchange}
port=${CONTRACT_PORT:-18200}
max_examples=${CONTRACT_MAX_EXAMPLES:-10}
max_time=${CONTRACT_MAX_TIME:-90}
stateful_time=${CONTRACT_STATEFUL_TIME:-60}
roles=${CONTRACT_ROLES:-claimant compensator}
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
  [ -n "${CONTRACT_HUB_LOG:-}" ] && cp "$work/hub.log" "$CONTRACT_HUB_LOG"
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

# Claims addressed to the compensator, so its run has claims to list, read, acknowledge and
# decide; and claims whose liability the compensator has admitted, so the claimant's run has
# claims in Stage 2 (interim payments, settlement packs, offers). The bodies are the document's
# own examples.
curl -sf "$base/openapi.json" >"$work/openapi.json"
jq '.paths["/v1/claims"].post.requestBody.content["application/json"].examples.rta.value' \
  "$work/openapi.json" >"$work/rta.json"
jq '.paths["/v1/claims/{id}/actions/decide-liability"].post.requestBody.content["application/json"].examples.from_submitted.value' \
  "$work/openapi.json" >"$work/admit.json"
submit() {
  curl -sf -D "$work/headers" -o "$work/claim.json" "$base/v1/claims" -H "Authorization: Bearer $claimant" \
    -H 'Content-Type: application/json' -d @"$work/rta.json"
}
for _ in $(seq 1 40); do submit; done
for _ in $(seq 1 20); do
  submit
  etag=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
  curl -sf -o /dev/null "$base/v1/claims/$(jq -r .id "$work/claim.json")/actions/decide-liability" \
    -H "Authorization: Bearer $compensator" -H "If-Match: $etag" \
    -H 'Content-Type: application/json' -d @"$work/admit.json"
done

# Two runs per role. The first: examples, coverage and fuzzing, in positive and negative modes.
# The second: stateful walks alone, with valid data only (the first run sends the invalid data),
# and a time of their own, so that they get far enough along the links to take claims through
# acknowledgement and the liability decision into Stage 2.
run() { # role, phases, mode, seconds
  local bearer=$claimant
  [ "$1" = compensator ] && bearer=$compensator
  [ "$4" -gt 0 ] || return 0
  echo "== schemathesis as the $1: $2 ($3 data)"
  "$venv/bin/st" --config-file .ci/schemathesis.toml run "$base/openapi.json" \
    --header "Authorization: Bearer $bearer" --max-examples "$max_examples" --max-time "$4" \
    --phases "$2" --mode "$3" --seed 20261201 --no-color \
    --report "junit${CONTRACT_HAR_DIR:+,har}" --report-dir "${CONTRACT_HAR_DIR:-$work}/report-$1-${2%%,*}"
}
status=0
for role in $roles; do
  run "$role" examples,coverage,fuzzing all "$max_time" || status=1
  run "$role" stateful positive "$stateful_time" || status=1
done
# How far the walks took claims: the actions that succeeded, by kind (less the seeding above).
echo "== actions that succeeded during the runs (20 decide-liability were the seeding's)"
sed 's/\x1b\[[0-9;]*m//g' "$work/hub.log" | grep 'request finished' | grep ' status=2' \
  | grep -o 'route=/v1/claims/{id}/actions/[a-z0-9-]*' | sort | uniq -c | sort -rn || true
if [ "$status" != 0 ]; then
  echo "contract tests failed; the hub's log:" >&2
  tail -n 30 "$work/hub.log" >&2
fi
exit "$status"
