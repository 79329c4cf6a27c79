#!/usr/bin/env bash
# Runs docs/WALKTHROUGH.md as a test: its ```sh blocks, in order, in one `bash -euo pipefail`, in
# a temporary directory holding the credentials file, against a sandbox hub this script starts
# itself. The page's first block (`cargo run --release -- serve FLAGS`) is not run: the hub is
# started from HUB_BIN with the same FLAGS (plus --reset-clock and --listen on a free port) in a
# fresh temporary directory, and BASE points the page's blocks at it. Fails if any step fails; the
# hub is stopped at the end either way.
#
#   HUB_BIN=target/release/claims-exchange scripts/walkthrough.sh
#
# HUB_BIN        the hub binary (default: target/debug/claims-exchange, so `cargo build` first)
# WALKTHROUGH_PORT  the first port to try (default 18100; the next ones if taken)
# KEEP_TMP=1     keep the temporary directory (hub log, database, the responses) for a look
# Needs curl and jq; when run as root, installs a missing one with apt-get.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
doc=$root/docs/WALKTHROUGH.md
hub=${HUB_BIN:-$root/target/debug/claims-exchange}
case $hub in /*) ;; *) hub=$PWD/$hub ;; esac

fail() { echo "walkthrough: $*" >&2; exit 1; }

need() {
  command -v "$1" > /dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "walkthrough: $1 is missing; installing it with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y "$1" || { apt-get update && apt-get install -y "$1"; }
    command -v "$1" > /dev/null || fail "could not install $1"
  else
    fail "$1 is required but not installed (install it, e.g. 'sudo apt-get install -y $1', or run this script as root)"
  fi
}
need curl
need jq
[ -x "$hub" ] || fail "no hub binary at $hub: run 'cargo build' or set HUB_BIN"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkthrough.XXXXXX")
mkdir "$tmp/hub" "$tmp/run"
pid=
cleanup() {
  local status=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2> /dev/null; then
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  fi
  if [ "$status" != 0 ] && [ -s "$tmp/hub.log" ]; then
    echo "walkthrough: the hub's log ends with:" >&2
    tail -n 30 "$tmp/hub.log" >&2
  fi
  if [ "${KEEP_TMP:-}" = 1 ]; then
    echo "walkthrough: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The page as a script: the lines of its ```sh blocks stay on their own line numbers (every other
# line is blank, each opening fence says which block starts), so an error names a line of the
# page. Line 1 (the title) carries the trap that says where a step failed. The first block goes
# to first-block.sh instead.
awk -v first="$tmp/first-block.sh" '
  NR == 1 {
    if ($0 ~ /^```/) { print "docs/WALKTHROUGH.md must not start with a code block" > "/dev/stderr"; exit 2 }
    print "trap '\''echo \"walkthrough: FAILED: the step ending at docs/WALKTHROUGH.md line $LINENO\" >&2'\'' ERR"
    next
  }
  !inside && /^```sh[[:space:]]*$/ {
    inside = 1; blocks++
    if (blocks == 1) print ""; else printf "echo \"== docs/WALKTHROUGH.md line %d\"\n", NR
    next
  }
  inside && /^```[[:space:]]*$/ { inside = 0; print ""; next }
  inside && blocks == 1 { print > first; print ""; next }
  inside { print; next }
  { print "" }
  END {
    if (inside) { print "docs/WALKTHROUGH.md: a ```sh block is not closed" > "/dev/stderr"; exit 2 }
    if (blocks < 2) { print "docs/WALKTHROUGH.md: no ```sh blocks after the one that starts the sandbox" > "/dev/stderr"; exit 2 }
  }
' "$doc" > "$tmp/walkthrough.sh" || fail "cannot read the blocks of $doc"

# The first block must be the command that starts the sandbox, and only that.
serve=$(grep -vE '^[[:space:]]*(#|$)' "$tmp/first-block.sh" || true)
[[ $serve != *$'\n'* && $serve =~ ^cargo\ run\ .*--\ serve(\ .*)?$ ]] \
  || fail "the first sh block of docs/WALKTHROUGH.md must be the single line 'cargo run ... -- serve FLAGS', not: $serve"
read -ra flags <<< "${serve#*-- serve}"
credentials=
for ((i = 0; i < ${#flags[@]}; i++)); do
  case ${flags[i]} in
    --credentials-file) credentials=${flags[i + 1]:-} ;;
    --credentials-file=*) credentials=${flags[i]#*=} ;;
    --listen | --listen=*) fail "the page's serve command must not set --listen: this script picks the port" ;;
  esac
done
[[ -n $credentials && $credentials != */* ]] \
  || fail "the page's serve command must write the credentials to a file in its directory (--credentials-file NAME)"
[[ " ${flags[*]} " == *" --reset-clock "* ]] || flags+=(--reset-clock)

# Every BASE the page sets must be overridable, or its requests would go to a hub not ours.
if grep -nE '(^|[;&|[:space:]])BASE=' "$tmp/walkthrough.sh" | grep -vF 'BASE=${BASE:-'; then
  fail "docs/WALKTHROUGH.md must set BASE as BASE=\${BASE:-...} (line above)"
fi

# Start the hub on the first free port from WALKTHROUGH_PORT; if another process takes the port
# first, the hub cannot bind it and exits, and the next port is tried.
port=${WALKTHROUGH_PORT:-18100}
for _ in $(seq 1 20); do
  while (: < "/dev/tcp/127.0.0.1/$port") 2> /dev/null; do port=$((port + 1)); done
  echo "walkthrough: starting $hub serve ${flags[*]} --listen 127.0.0.1:$port" >&2
  (cd "$tmp/hub" && exec "$hub" serve "${flags[@]}" --listen "127.0.0.1:$port") > "$tmp/hub.log" 2>&1 &
  pid=$!
  base=http://127.0.0.1:$port
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2> /dev/null || break
    if [ -s "$tmp/hub/$credentials" ] && curl -fs -o /dev/null "$base/health/ready"; then break 2; fi
    sleep 0.1
  done
  if kill -0 "$pid" 2> /dev/null; then
    fail "the hub did not become ready on $base within 30 s"
  fi
  wait "$pid" 2> /dev/null || true
  pid=
  grep -qi 'address.*in use' "$tmp/hub.log" || fail "the hub exited before becoming ready"
  port=$((port + 1))
done
[ -n "$pid" ] || fail "found no free port from ${WALKTHROUGH_PORT:-18100}"
cp "$tmp/hub/$credentials" "$tmp/run/"

echo "walkthrough: running the blocks of docs/WALKTHROUGH.md against $base" >&2
(cd "$tmp/run" && BASE=$base bash -euo pipefail "$tmp/walkthrough.sh") \
  || fail "FAILED (see the first FAILED line above)"
echo "walkthrough: passed" >&2
