#!/usr/bin/env bash
# Load benchmark of the hub (quality.md §2, issue 13), against the PostgreSQL on this machine:
# one command, each section on a private database of its own, results as Markdown table rows
# printed at the end and written to RESULTS_FILE.
#
#   benches/load.sh                                   # everything, full size (an hour or more)
#   BENCH_ONLY=submit,mixed benches/load.sh           # some sections
#   HUB_BIN=target/debug/claims-exchange DURATION=5 CLAIMS=20000 EVENTS=100000 \
#     SWEEP_CLAIMS=5000 benches/load.sh               # a quick check that every section works
#
# Sections (BENCH_ONLY, comma separated; default all):
#   submit   CNF submissions (POST /v1/claims, the `rta` example of /openapi.json, each with its
#            own Idempotency-Key and case reference), CONNECTIONS (32) wrk connections for
#            DURATION (30) s: throughput, p50, p99. Then the physical limit: pgbench, same
#            concurrency and duration, on a copy of the same database taken before the load,
#            running the writes one submission makes (load/submission.pgbench, filled with the
#            rows of a claim submitted through the API), once without and once with the feed
#            sequencer's pass; the ratio hub / pgbench is the headline.
#   memory   the hub's VmRSS (sampled every 0.5 s) and VmHWM from /proc during the submit load
#            (runs the submit load if `submit` is not selected).
#   mixed    MIXED_RATE (1000) requests/s paced: 20% submissions, 45% reads of a claim, 10% list
#            pages, 20% acknowledgements by the compensator (If-Match "1", a pool of claims
#            copied in SQL, each used once), 5% event-feed pages; one wrk per kind, so the
#            achieved rate and p99 are reported per kind.
#   scale    list, get, status-filtered list and a feed page at SCALE_CONNECTIONS (16), first
#            with 1,000 claims and 5,000 events, then with CLAIMS (1000000) claims and EVENTS
#            (5000000) events (SQL copies of a submitted claim and its event, two recipient rows
#            per event): p99 of each against the small database's; EXPLAIN (ANALYZE, BUFFERS)
#            of each hot query written to PLANS_FILE.
#   sweep    SWEEP_CLAIMS (100000) acknowledged claims whose liability deadline passes at the
#            same instant; PUT /v1/sandbox/clock past it: how long the call takes, how long
#            until no claim is due any more (polling the database), and the p99 of paced reads
#            of other claims (PROBE_RATE/s) during the sweep against before it.
#   recount  a bank holiday added (PUT /v1/admin/bank-holidays/RECOUNT_DATE, operator) at CLAIMS
#            claims (the scale database when `scale` ran, else its own): how long the PUT takes,
#            how long until no claim is counted on an older calendar, and paced reads meanwhile.
#   sqlite   the hub on an embedded SQLite file: CONNECTIONS submissions for DURATION s.
#   tokens   one client guessing secrets (POST /oauth/token, wrong secrets, CONNECTIONS
#            connections) while another client reads (PROBE_RATE/s): the reader's p99 before and
#            during the flood, and the guessed client's right secret just after it.
#
# Settings (environment): DURATION, CONNECTIONS, SCALE_CONNECTIONS, CLAIMS, EVENTS, SWEEP_CLAIMS,
# MIXED_RATE, PROBE_RATE, WARMUP (5 s before each scale measurement and probe), RECOUNT_DATE
# (2025-09-10, moves every open deadline), SWEEP_TIMEOUT and RECOUNT_TIMEOUT (s, 1800 and
# 3600), PGBENCH_SEQUENCER (1: also the pgbench variant with the sequencer pass), HUB_BIN
# (default target/release/claims-exchange, built with cargo if missing), RESULTS_FILE
# (target/bench-results.md), PLANS_FILE (target/bench-plans.md),
# BENCH_PG_HOST/BENCH_PG_PORT/BENCH_PG_USER (127.0.0.1, 5432, postgres; trust authentication),
# PORT_BASE (18500; the sections listen on PORT_BASE+1..+7), KEEP_DB=1 and KEEP_WORK=1 to keep
# the databases and the work directory (hub logs, wrk and pgbench output) for inspection.
#
# The hub runs in sandbox mode with its clock at 2025-08-22T09:00:00Z and its per-client rate
# limit off (CLAIMS_EXCHANGE_RATE_LIMIT_PER_SECOND=0), so the limiter does not shape the load;
# any other CLAIMS_EXCHANGE_* setting in the environment reaches it unchanged. Databases are
# named claims_bench_*; only those are created and dropped. Needs curl, jq, psql, pgbench and
# wrk (installed with apt-get when missing). wrk measures latency from sending a request to its
# response; a paced request that had to wait for a free connection is not counted as late, so
# when the hub cannot keep up the achieved rate falls (and says so) rather than the p99 rising.
# The hub's log and every wrk/pgbench output are in the work directory (KEEP_WORK=1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lua=$root/benches/load

duration=${DURATION:-30}
connections=${CONNECTIONS:-32}
scale_connections=${SCALE_CONNECTIONS:-16}
claims=${CLAIMS:-1000000}
events=${EVENTS:-5000000}
sweep_claims=${SWEEP_CLAIMS:-100000}
mixed_rate=${MIXED_RATE:-1000}
probe_rate=${PROBE_RATE:-100}
warmup=${WARMUP:-5}
recount_date=${RECOUNT_DATE:-2025-09-10}
sweep_timeout=${SWEEP_TIMEOUT:-1800}
recount_timeout=${RECOUNT_TIMEOUT:-3600}
pgbench_sequencer=${PGBENCH_SEQUENCER:-1}
hub_bin=${HUB_BIN:-target/release/claims-exchange}
results_file=${RESULTS_FILE:-target/bench-results.md}
plans_file=${PLANS_FILE:-target/bench-plans.md}
pg_host=${BENCH_PG_HOST:-127.0.0.1}
pg_port=${BENCH_PG_PORT:-5432}
pg_user=${BENCH_PG_USER:-postgres}
port_base=${PORT_BASE:-18500}
all_sections=submit,memory,mixed,scale,sweep,recount,sqlite,tokens
only=${BENCH_ONLY:-$all_sections}
clock_start=2025-08-22T09:00:00Z

for name in ${only//,/ }; do
  [[ ",$all_sections," == *",$name,"* ]] || { echo "benches/load.sh: unknown section '$name' (known: $all_sections)" >&2; exit 2; }
done
selected() { [[ ",$only," == *",$1,"* ]]; }

say() { printf '\n== %s\n' "$*"; }
warn() { printf '\n!!!!!!!! %s\n' "$*" >&2; }
die() { echo "benches/load.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------- tools
for tool in curl jq psql pgbench; do
  command -v "$tool" >/dev/null || die "needs $tool"
done
if ! command -v wrk >/dev/null; then
  echo "installing wrk (apt-get)"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y wrk || { $sudo apt-get update && $sudo apt-get install -y wrk; }
fi
if [ ! -x "$hub_bin" ]; then
  [ -z "${HUB_BIN:-}" ] || die "no hub binary at $hub_bin"
  cargo build --release --locked --bin claims-exchange
fi
hub_bin=$(realpath "$hub_bin")

pg() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" "$@"; }
pgv() { pg -At "$@"; } # a value
pg_url() { echo "postgres://$pg_user@$pg_host:$pg_port/$1"; }

# ------------------------------------------------------------------ state and cleaning up
work=$(mktemp -d "${TMPDIR:-/tmp}/claims-bench.XXXXXX")
hub_pids=()      # hubs this script started (only these are ever killed)
helper_pids=()   # its own wrk runs and samplers
databases=()     # its own databases
rows=()          # result rows
failures=()      # sections whose figures must not be trusted
results_written=

now_s() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.2f", b - a }'; }
calc() { awk "BEGIN { printf \"%s\", ($1) }"; } # calc 'EXPR': awk arithmetic (1/0 for comparisons)
fmt() { awk -v x="$1" -v d="${2:-1}" 'BEGIN { printf "%.*f", d, x }'; }

row() { # WORKLOAD MEASURE RESULT TARGET
  rows+=("| $1 | $2 | $3 | $4 |")
  printf '   %-8s %-55s %s\n' "$1" "$2" "$3"
}
fail() { # SECTION WHY (kept in a file: it is often called inside $(...))
  echo "$1: $2" >>"$work/failures.txt"
  warn "$1: $2"
}

write_results() {
  [ -z "$results_written" ] || return 0
  results_written=1
  failures=()
  [ ! -s "$work/failures.txt" ] || mapfile -t failures <"$work/failures.txt"
  mkdir -p "$(dirname "$results_file")"
  {
    echo "<!-- benches/load.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ) -->"
    echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(machine); hub: $(hub_description)."
    echo "Settings: DURATION=$duration CONNECTIONS=$connections CLAIMS=$claims EVENTS=$events" \
      "SWEEP_CLAIMS=$sweep_claims MIXED_RATE=$mixed_rate BENCH_ONLY=$only."
    echo
    echo "| workload | measure | result | target |"
    echo "| --- | --- | --- | --- |"
    printf '%s\n' "${rows[@]}"
    if [ ${#failures[@]} -gt 0 ]; then
      echo
      echo "**Not trustworthy** (requests failing):"
      printf -- '- %s\n' "${failures[@]}"
    fi
  } >"$results_file"
  echo
  echo "=============================================================== results"
  cat "$results_file"
  echo
  echo "(written to $results_file)"
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${helper_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hub_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${hub_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ ${#rows[@]} -gt 0 ]; then write_results || true; fi
  if [ -z "${KEEP_DB:-}" ]; then
    local db
    for db in "${databases[@]}"; do
      pg -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null || true
    done
  elif [ ${#databases[@]} -gt 0 ]; then
    echo "databases kept: ${databases[*]}"
  fi
  if [ -n "${KEEP_WORK:-}" ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

machine() {
  local cpu mem
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  echo "$(nproc) CPUs ($cpu), $mem RAM, $( . /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), PostgreSQL" \
    "$(pgv -d postgres -c 'SHOW server_version') (shared_buffers $(pgv -d postgres -c 'SHOW shared_buffers')," \
    "synchronous_commit $(pgv -d postgres -c 'SHOW synchronous_commit'))"
}
hub_description() {
  local commit
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit+changes"
  echo "${hub_bin#"$root"/} at $commit"
}

fresh_db() { # NAME
  pg -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
  databases+=("$1")
}

# ------------------------------------------------------------------------------ the hub
hub_pid=
base=
start_hub() { # LABEL PORT DATABASE-URL [SERVE-ARGS...]: sets hub_pid and base
  local label=$1 port=$2 url=$3
  shift 3
  local dir=$work/$label
  mkdir -p "$dir"
  rm -f "$dir/creds.json"
  (cd "$dir" && CLAIMS_EXCHANGE_RATE_LIMIT_PER_SECOND=0 exec "$hub_bin" serve --sandbox \
    --database-url "$url" --listen "127.0.0.1:$port" --credentials-file creds.json "$@" >>hub.log 2>&1) &
  hub_started "$label" "$dir" "$port"
}

hub_started() { # LABEL DIR PORT: notes the hub just started and waits until it is ready
  hub_pid=$!
  hub_pids+=("$hub_pid")
  hub_dir=$2
  base=http://127.0.0.1:$3
  local waited=0
  until [ -s "$hub_dir/creds.json" ] && curl -sf -o /dev/null "$base/health/ready"; do
    if ! kill -0 "$hub_pid" 2>/dev/null || [ $waited -ge 300 ]; then
      tail -n 30 "$hub_dir/hub.log" >&2
      die "the hub ($1) did not start"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}

start_plain_hub() { # LABEL PORT DATABASE-URL: the hub as in production (no sandbox: real clock,
  # nothing reread per request) on a database a sandbox hub of LABEL seeded; its credentials stay
  local label=$1 port=$2 url=$3
  local dir=$work/$label
  [ -s "$dir/creds.json" ] || die "start_plain_hub: no sandbox credentials in $dir"
  # The sandbox seeded the clients at its clock's time, long before the real clock's now: they
  # must not be disabled as idle when the real clock takes over.
  (cd "$dir" && CLAIMS_EXCHANGE_RATE_LIMIT_PER_SECOND=0 CLAIMS_EXCHANGE_CLIENT_IDLE_DAYS=3650 exec "$hub_bin" serve \
    --database-url "$url" --listen "127.0.0.1:$port" >>hub.log 2>&1) &
  hub_started "$label (production mode)" "$dir" "$port"
}

stop_hub() { # stops the hub started last
  [ -n "$hub_pid" ] || return 0
  kill -TERM "$hub_pid" 2>/dev/null || true
  local i
  for i in $(seq 1 90); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$hub_pid" 2>/dev/null || true
  wait "$hub_pid" 2>/dev/null || true
  local kept=() pid
  for pid in "${hub_pids[@]}"; do [ "$pid" = "$hub_pid" ] || kept+=("$pid"); done
  hub_pids=("${kept[@]}")
  hub_pid=
}

token() { # ORGANISATION-CODE: an access token of its sandbox client
  local secret
  secret=$(jq -r --arg c "$1" '.organisations[] | select(.code == $c) | .client_secret' "$hub_dir/creds.json")
  curl -sf "$base/oauth/token" -d grant_type=client_credentials \
    -d client_id="$(echo "$1" | tr A-Z a-z)-sandbox" -d client_secret="$secret" | jq -er .access_token
}

api() { # EXPECTED-STATUS METHOD PATH TOKEN [BODY [CURL-ARGS...]]: the response body
  local want=$1 method=$2 path=$3 tok=$4 body=${5-} got
  shift $(($# < 5 ? $# : 5))
  local args=(-s -X "$method" -o "$work/api.body" -w '%{http_code}' -H "Authorization: Bearer $tok")
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  got=$(curl "${args[@]}" "$@" "$base$path") || true
  if [ "$got" != "$want" ]; then
    echo "benches/load.sh: $method $path: expected $want, got $got: $(head -c 600 "$work/api.body")" >&2
    return 1
  fi
  cat "$work/api.body"
}

examples() { # the rta example body (rta.json) and the submission body with @REF@ (submit.json)
  curl -sf "$base/openapi.json" \
    | jq -c '.paths["/v1/claims"].post.requestBody.content["application/json"].examples.rta.value' >"$work/rta.json"
  jq -c '.cnf.representative.case_reference = "@REF@"' "$work/rta.json" >"$work/submit.json"
}

# ------------------------------------------------------------------------------------ wrk
# run_wrk NAME SCRIPT CONNECTIONS SECONDS [VAR=VALUE...]: wrk against $base, output in
# $work/NAME.wrk (its last line is the scripts' BENCH_RESULT line).
run_wrk() {
  local name=$1 script=$2 conns=$3 secs=$4
  shift 4
  local threads=$((conns < 2 ? conns : 2))
  env BENCH_LUA="$lua" BENCH_THREADS="$threads" "$@" \
    wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$lua/$script" "$base" >"$work/$name.wrk" 2>&1 || true
  wrk_ensure_result "$name"
}
# A wrk run that printed no result (it failed to start, or its script did) gets an empty one and
# is recorded as a failure, so the summary shows it instead of stopping half way.
wrk_ensure_result() {
  grep -q '^BENCH_RESULT' "$work/$1.wrk" && return 0
  tail -n 20 "$work/$1.wrk" >&2
  fail "$1" "wrk gave no result (see above)"
  echo "BENCH_RESULT responses=0 ok=0 non2xx=0 socket_errors=0 timeouts=0 seconds=0 rps=0 ok_rps=0" \
    "p50_ms=0 p90_ms=0 p99_ms=0 max_ms=0 statuses=none" >>"$work/$1.wrk"
}
wrk_value() { # NAME KEY
  local line
  line=$(grep '^BENCH_RESULT' "$work/$1.wrk" | tail -n 1) || true
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$line"
}
# wrk_check NAME SECTION: empty when the run is sound; otherwise says what is wrong (and a run
# where most requests fail is recorded as a failure, loudly).
wrk_check() {
  local responses ok bad errors statuses
  responses=$(wrk_value "$1" responses); ok=$(wrk_value "$1" ok); bad=$(wrk_value "$1" non2xx)
  errors=$(wrk_value "$1" socket_errors); statuses=$(wrk_value "$1" statuses)
  if [ "$responses" -eq 0 ] || [ $((ok * 10)) -lt $((responses * 9)) ]; then
    fail "$2" "$1: only $ok of $responses responses were 2xx (statuses $statuses, $errors socket errors)"
    echo "**FAILED: only $ok of $responses responses 2xx** ($statuses; $errors socket errors)"
  elif [ "$bad" -gt 0 ] || [ "$errors" -gt 0 ]; then
    echo "($bad non-2xx: $statuses; $errors socket errors)"
  fi
}
# wrk_summary NAME SECTION: "N/s 2xx, p50 X ms, p99 Y ms" with any problem appended.
wrk_summary() {
  local check figures
  check=$(wrk_check "$1" "$2")
  figures="$(fmt "$(wrk_value "$1" ok_rps)")/s 2xx, p50 $(wrk_value "$1" p50_ms) ms, p99 $(wrk_value "$1" p99_ms) ms"
  case $check in
    '**FAILED'*) echo "$check; figures not meaningful: $figures" ;;
    *) echo "$figures${check:+ $check}" ;;
  esac
}
wrk_failed() { # NAME: whether most of the run's requests failed (as wrk_check judges)
  local responses ok
  responses=$(wrk_value "$1" responses); ok=$(wrk_value "$1" ok)
  [ "$responses" -eq 0 ] || [ $((ok * 10)) -lt $((responses * 9)) ]
}

# Connections for a paced wrk: enough for RATE/s at 50 ms a request, and two spare.
conns_for() { calc "int($1 / 20) + 2"; }

# Forgets helper processes that have finished (so cleanup never signals a recycled pid).
helpers_done() {
  local kept=() pid
  for pid in "${helper_pids[@]}"; do ! kill -0 "$pid" 2>/dev/null || kept+=("$pid"); done
  helper_pids=("${kept[@]}")
}

# A paced probe of reads during background work: probe_start NAME PATHS-FILE TOKEN, probe_stop.
# wrk runs until interrupted (SIGINT makes it stop and print its results); `env` execs it, so
# $! is wrk itself.
probe_pid=
probe_name=
probe_start() {
  probe_name=$1
  env BENCH_LUA="$lua" BENCH_THREADS=2 BENCH_RATE="$probe_rate" BENCH_PATHS="$2" BENCH_TOKEN="$3" \
    wrk -t2 -c"$(conns_for "$probe_rate")" -d100000s --timeout 10s -s "$lua/paths.lua" "$base" >"$work/$1.wrk" 2>&1 &
  probe_pid=$!
  helper_pids+=("$probe_pid")
  sleep 1
}
probe_stop() {
  kill -INT "$probe_pid" 2>/dev/null || true
  wait "$probe_pid" 2>/dev/null || true
  probe_pid=
  helpers_done
  wrk_ensure_result "$probe_name"
}

# Memory of a process: sample_memory PID FILE (in the background) writes "rss_kb hwm_kb" lines.
sample_memory() {
  while kill -0 "$1" 2>/dev/null; do
    awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { print r, h }' "/proc/$1/status" 2>/dev/null >>"$2" || true
    sleep 0.5
  done
}
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

# pgbench_run NAME DATABASE SEQUENCE(0|1): tps and latency percentiles from its per-transaction log.
pgbench_run() {
  local name=$1 db=$2 sequence=$3
  (cd "$work" && pgbench -n -h "$pg_host" -p "$pg_port" -U "$pg_user" -c "$connections" -j 2 \
    -T "$duration" -D sequence="$sequence" -f "$work/submission.pgbench" -l --log-prefix="$name" \
    "$db" >"$work/$name.out" 2>&1) || true
  pgbench_tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$work/$name.out" | tail -n 1)
  pgbench_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/$name.out")
  pgbench_done=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/$name.out")
  if [ -z "$pgbench_tps" ] || grep -q 'aborted\|error' "$work/$name.out"; then
    cat "$work/$name.out" >&2
    fail submit "pgbench ($name) did not run cleanly"
    pgbench_tps=${pgbench_tps:-0}
  fi
  read -r pgbench_p50 pgbench_p99 < <(cat "$work/$name".[0-9]* 2>/dev/null | awk '{ print $3 }' | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- -"; exit }
        i50 = int(NR * 0.50); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
        printf "%.2f %.2f\n", v[i50] / 1000, v[i99] / 1000 }')
}

# ---------------------------------------------------------------------------------- sections
section_submit() {
  local db=claims_bench_submit port=$((port_base + 1)) cr sample
  say "submit: $connections connections, $duration s, against pgbench writing the same rows"
  fresh_db $db
  start_hub submit $port "$(pg_url $db)" --clock "$clock_start"
  examples
  cr=$(token CR00001)
  sample=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" -H 'Idempotency-Key: bench-sample' | jq -r .id)
  if selected submit; then
    # The pgbench script, filled with the rows the sample's submission wrote; and copies of
    # the database as it is now (migrated, one claim), for pgbench to start where the hub does.
    pg -d $db -At -v sample="$sample" -f "$lua/pgbench-literals.sql" >"$work/literals.json"
    jq -Rrs --slurpfile subs "$work/literals.json" \
      '$subs[0] as $s | gsub("@(?<k>[A-Z_]+)@"; $s[.k] // "@\(.k)@")' \
      "$lua/submission.pgbench" >"$work/submission.pgbench"
    if grep -q '@[A-Z_]*@' "$work/submission.pgbench"; then
      die "placeholders left in the pgbench script: $(grep -o '@[A-Z_]*@' "$work/submission.pgbench" | sort -u | tr '\n' ' ')"
    fi
    stop_hub
    pg -d postgres -c "DROP DATABASE IF EXISTS claims_bench_limit WITH (FORCE)" \
      -c "CREATE DATABASE claims_bench_limit TEMPLATE $db"
    databases+=(claims_bench_limit)
    if [ "$pgbench_sequencer" = 1 ]; then
      pg -d postgres -c "DROP DATABASE IF EXISTS claims_bench_limit_seq WITH (FORCE)" \
        -c "CREATE DATABASE claims_bench_limit_seq TEMPLATE $db"
      databases+=(claims_bench_limit_seq)
    fi
  else
    stop_hub
  fi
  # The load runs against the hub as production runs it (HUB_MODE=sandbox: as the sandbox).
  if [ "${HUB_MODE:-production}" = sandbox ]; then
    start_hub submit $port "$(pg_url $db)"
  else
    start_plain_hub submit $port "$(pg_url $db)"
  fi
  cr=$(token CR00001)

  local idle_rss
  idle_rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$hub_pid/status")
  sample_memory "$hub_pid" "$work/memory.txt" &
  local sampler=$!
  helper_pids+=("$sampler")
  run_wrk submit submit.lua "$connections" "$duration" \
    BENCH_BODY="$work/submit.json" BENCH_TOKEN="$cr" BENCH_RUN="s$(date +%s)"
  local hwm
  hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$hub_pid/status")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  helpers_done
  local stored
  stored=$(pgv -d $db -c "SELECT count(*) FROM claims")
  stop_hub

  local hub_rps check
  hub_rps=$(wrk_value submit ok_rps)
  check=$(wrk_check submit submit)
  if wrk_failed submit; then
    row submit "hub: submissions/s (2xx), $connections connections, ${duration} s" \
      "$check; figures not meaningful" "≥ 80% of the limit"
  else
    row submit "hub: submissions/s (2xx), $connections connections, ${duration} s" \
      "$(fmt "$hub_rps") /s ($(wrk_value submit ok) in $(wrk_value submit seconds) s; $stored claims stored)${check:+ $check}" \
      "≥ 80% of the limit"
  fi
  row submit "hub: latency p50 / p99" "$(wrk_value submit p50_ms) ms / $(wrk_value submit p99_ms) ms" "p99 < 50 ms"
  if selected memory; then
    local max_rss
    max_rss=$(awk '$1 > m { m = $1 } END { print m + 0 }' "$work/memory.txt")
    row memory "hub resident memory under the submit load (VmRSS max; at rest before)" \
      "$(mb "$max_rss") (at rest $(mb "$idle_rss"); $(wc -l <"$work/memory.txt") samples)" "< 150 MB"
    row memory "hub peak resident memory (VmHWM)" "$(mb "$hwm")" "< 150 MB"
  fi

  if selected submit; then
    say "submit: pgbench, the same writes, $connections clients, $duration s"
    pgbench_run pgbench-rows claims_bench_limit 0
    local limit=$pgbench_tps
    row submit "physical limit: pgbench, one submission's writes per transaction" \
      "$(fmt "$limit") tx/s ($pgbench_done done, ${pgbench_failed:-0} failed), p50 $pgbench_p50 ms, p99 $pgbench_p99 ms" "-"
    if wrk_failed submit; then
      row submit "**ratio hub / physical limit**" "n/a: the hub's submissions failed" "≥ 80%"
    elif [ "$(calc "$limit > 0")" = 1 ]; then
      row submit "**ratio hub / physical limit**" "**$(calc "int($hub_rps / $limit * 100 + 0.5)")%**" "≥ 80%"
    fi
    if [ "$pgbench_sequencer" = 1 ]; then
      pgbench_run pgbench-sequenced claims_bench_limit_seq 1
      row submit "pgbench, the same writes plus a feed-sequencer pass per transaction" \
        "$(fmt "$pgbench_tps") tx/s, p50 $pgbench_p50 ms, p99 $pgbench_p99 ms (hub: $(calc "int($hub_rps / ($pgbench_tps > 0 ? $pgbench_tps : 1) * 100 + 0.5)")% of it)" "-"
    fi
  fi
}

section_mixed() {
  local db=claims_bench_mixed port=$((port_base + 2)) cr cm sample
  say "mixed: $mixed_rate requests/s for $duration s (20% submit, 45% get, 10% list, 20% acknowledge, 5% feed)"
  fresh_db $db
  start_hub mixed $port "$(pg_url $db)" --clock "$clock_start"
  examples
  cr=$(token CR00001)
  cm=$(token CM00001)
  sample=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" | jq -r .id)
  # Claims to acknowledge (each once; a quarter more than the run should need) and to read.
  local rate_submit rate_get rate_list rate_ack rate_feed pool
  rate_submit=$(calc "$mixed_rate * 0.20"); rate_get=$(calc "$mixed_rate * 0.45")
  rate_list=$(calc "$mixed_rate * 0.10"); rate_ack=$(calc "$mixed_rate * 0.20")
  rate_feed=$(calc "$mixed_rate * 0.05")
  pool=$(calc "int($rate_ack * $duration * 1.25) + 100")
  pg -d $db -v sample="$sample" -v count="$pool" -v prefix=ACK -f "$lua/copies.sql"
  pg -d $db -v sample="$sample" -v count=1000 -v prefix=READ -f "$lua/copies.sql"
  pg -d $db -c "VACUUM ANALYZE claims"
  pgv -d $db -c "SELECT id FROM claims WHERE cr_reference LIKE 'ACK/%'" >"$work/mixed-ack.ids"
  pgv -d $db -c "SELECT '/v1/claims/' || id FROM claims WHERE cr_reference LIKE 'READ/%'" >"$work/mixed-get.paths"
  echo "/v1/claims?limit=50" >"$work/mixed-list.paths"
  echo "/v1/events?limit=50" >"$work/mixed-feed.paths"

  # One wrk per kind, all at once, each paced to its share.
  local pids=()
  run_wrk mixed-submit submit.lua "$(conns_for "$rate_submit")" "$duration" BENCH_RATE="$rate_submit" \
    BENCH_BODY="$work/submit.json" BENCH_TOKEN="$cr" BENCH_RUN="m$(date +%s)" & pids+=($!)
  run_wrk mixed-get paths.lua "$(conns_for "$rate_get")" "$duration" BENCH_RATE="$rate_get" \
    BENCH_PATHS="$work/mixed-get.paths" BENCH_TOKEN="$cr" & pids+=($!)
  run_wrk mixed-list paths.lua "$(conns_for "$rate_list")" "$duration" BENCH_RATE="$rate_list" \
    BENCH_PATHS="$work/mixed-list.paths" BENCH_TOKEN="$cr" & pids+=($!)
  run_wrk mixed-acknowledge acknowledge.lua "$(conns_for "$rate_ack")" "$duration" BENCH_RATE="$rate_ack" \
    BENCH_IDS="$work/mixed-ack.ids" BENCH_TOKEN="$cm" & pids+=($!)
  run_wrk mixed-feed paths.lua "$(conns_for "$rate_feed")" "$duration" BENCH_RATE="$rate_feed" \
    BENCH_PATHS="$work/mixed-feed.paths" BENCH_TOKEN="$cr" & pids+=($!)
  helper_pids+=("${pids[@]}")
  wait "${pids[@]}" || true
  helpers_done
  stop_hub

  local total=0 worst=0 kind
  for kind in submit get list acknowledge feed; do
    total=$(calc "$total + $(wrk_value "mixed-$kind" ok_rps)")
    worst=$(calc "($(wrk_value "mixed-$kind" p99_ms) > $worst) ? $(wrk_value "mixed-$kind" p99_ms) : $worst")
  done
  local short=
  [ "$(calc "$total < $mixed_rate * 0.95")" = 0 ] || short=" (below the rate asked for: the hub could not keep up)"
  row mixed "achieved rate, all kinds, 2xx (asked for $mixed_rate/s)" "$(fmt "$total") requests/s$short" "1,000/s"
  row mixed "worst p99 of the five kinds" "$worst ms" "p99 < 50 ms"
  local share
  for kind in submit get list acknowledge feed; do
    case $kind in submit) share=20 ;; get) share=45 ;; list) share=10 ;; acknowledge) share=20 ;; feed) share=5 ;; esac
    row mixed "$kind ($share%)" "$(wrk_summary "mixed-$kind" mixed)" "p99 < 50 ms"
  done
  local exhausted
  exhausted=$(wrk_value mixed-acknowledge exhausted)
  [ "${exhausted:-0}" -eq 0 ] || fail mixed "the acknowledgement pool ran out ($exhausted requests reused claims)"
}

# Seeds scale claims FIRST..LAST and events FIRST_E..LAST_E (event n about claim 1 + n % CLAIMS_NOW).
scale_event_base=
seed_scale() { # DB SAMPLE SAMPLE_EVENT FIRST LAST FIRST_E LAST_E CLAIMS_NOW
  local db=$1 started
  started=$(now_s)
  if [ "$5" -ge "$4" ]; then
    pg -d "$db" -v sample="$2" -v first="$4" -v last="$5" -f "$lua/scale-claims.sql"
  fi
  if [ "$7" -ge "$6" ]; then
    [ -n "$scale_event_base" ] || scale_event_base=$(pgv -d "$db" -c "SELECT coalesce(max(id), 0) + 1000 FROM claim_events")
    pg -d "$db" -v sample_event="$3" -v first="$6" -v last="$7" -v claims="$8" -v base="$scale_event_base" \
      -f "$lua/scale-events.sql"
  fi
  pg -d "$db" -f "$lua/scale-finish.sql" >/dev/null
  echo "   seeded claims $4..$5 and events $6..$7 in $(since "$started") s"
}

scale_calls() { # TAG CLAIMS-NOW: the four calls at scale_connections, results in scale-TAG-*.wrk
  local tag=$1 n=$2 cr after
  cr=$(token CR00001)
  pgv -d claims_bench_scale -c "SELECT '/v1/claims/' || md5('scale-claim-' || n)::uuid
    FROM generate_series(2, $n, 2) AS n WHERE n % 50 <> 0 ORDER BY random() LIMIT 1000" >"$work/scale-get.paths"
  echo "/v1/claims?limit=50" >"$work/scale-list.paths"
  echo "/v1/claims?status=rejected&limit=50" >"$work/scale-status.paths"
  after=$(pgv -d claims_bench_scale -c "SELECT (min(position) + max(position)) / 2 FROM event_recipients
    WHERE organisation_code = 'CR00001'")
  echo "/v1/events?after=${after:-0}&limit=50" >"$work/scale-feed.paths"
  # A few seconds of all four first, so neither database is measured cold.
  cat "$work"/scale-{list,get,status,feed}.paths >"$work/scale-warmup.paths"
  run_wrk "scale-$tag-warmup" paths.lua "$scale_connections" "$warmup" \
    BENCH_PATHS="$work/scale-warmup.paths" BENCH_TOKEN="$cr"
  local call
  for call in list get status feed; do
    run_wrk "scale-$tag-$call" paths.lua "$scale_connections" "$duration" \
      BENCH_PATHS="$work/scale-$call.paths" BENCH_TOKEN="$cr"
    echo "   $tag $call: $(wrk_summary "scale-$tag-$call" scale)"
  done
}

scale_ready=
section_scale() {
  local db=claims_bench_scale port=$((port_base + 3)) cr sample sample_event
  local small_claims=$((claims < 1000 ? claims : 1000)) small_events=$((events < 5000 ? events : 5000))
  say "scale: list, get, status filter and feed at $scale_connections connections, $small_claims claims then $claims"
  fresh_db $db
  start_hub scale $port "$(pg_url $db)" --clock "$clock_start"
  examples
  cr=$(token CR00001)
  sample=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" | jq -r .id)
  sample_event=$(pgv -d $db -c "SELECT min(id) FROM claim_events WHERE claim_id = '$sample'")
  stop_hub
  seed_scale $db "$sample" "$sample_event" 1 "$small_claims" 1 "$small_events" "$small_claims"
  start_hub scale $port "$(pg_url $db)"
  scale_calls small "$small_claims"
  stop_hub
  seed_scale $db "$sample" "$sample_event" $((small_claims + 1)) "$claims" $((small_events + 1)) "$events" "$claims"
  start_hub scale $port "$(pg_url $db)"
  scale_calls full "$claims"

  local call small full
  for call in list get status feed; do
    small=$(wrk_value "scale-small-$call" p99_ms)
    full=$(wrk_value "scale-full-$call" p99_ms)
    local what
    case $call in
      list) what="GET /v1/claims?limit=50" ;;
      get) what="GET /v1/claims/{id}" ;;
      status) what="GET /v1/claims?status=rejected&limit=50" ;;
      feed) what="GET /v1/events?after=<half way>&limit=50" ;;
    esac
    local c1 c2
    c1=$(wrk_check "scale-small-$call" scale); c2=$(wrk_check "scale-full-$call" scale)
    row scale "$what: p99 at $small_claims → $claims claims" \
      "$small ms → $full ms (×$(calc "int($full / ($small > 0 ? $small : 1) * 100 + 0.5) / 100")); $(fmt "$(wrk_value "scale-full-$call" ok_rps)")/s at scale${c1:+ small: $c1}${c2:+ full: $c2}" \
      "within 2×$([ $call = list ] && echo "; p99 < 25 ms")"
  done

  # The plans of the hot queries, on the full database.
  local as_of deep deep_key deep_id after now revision
  # The walk's start, like the hub's own timestamps, is by the sandbox clock.
  now=$(curl -sf -H "Authorization: Bearer $(token CR00001)" "$base/v1/sandbox/clock" | jq -r '.now')
  as_of=$now
  deep=$(pgv -d $db -c "SELECT updated_at, id FROM claims WHERE claimant_rep_code = 'CR00001' AND purged_at IS NULL
    ORDER BY updated_at DESC, id DESC OFFSET $((claims / 8)) LIMIT 1")
  deep_key=${deep%%|*}
  deep_id=${deep##*|}
  after=$(pgv -d $db -c "SELECT (min(position) + max(position)) / 2 FROM event_recipients WHERE organisation_code = 'CR00001'")
  revision=$(pgv -d $db -c "SELECT revision FROM calendar_state WHERE id = 1")
  mkdir -p "$(dirname "$plans_file")"
  {
    echo "# Hot query plans at scale (benches/load.sh)"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(pgv -d $db -c "SELECT count(*) FROM claims") claims," \
      "$(pgv -d $db -c "SELECT count(*) FROM claim_events") events," \
      "$(pgv -d $db -c "SELECT count(*) FROM event_recipients") recipient rows; database" \
      "$(pgv -d $db -c "SELECT pg_size_pretty(pg_database_size(current_database()))"); machine: $(machine)."
    echo
    pg -d $db -v claim="${deep_id}" -v rep=CR00001 -v as_of="$as_of" -v deep_key="$deep_key" \
      -v deep_id="$deep_id" -v after="${after:-0}" -v now="$now" -v revision="$revision" -f "$lua/plans.sql"
  } >"$plans_file"
  local scans
  scans=$(awk '/^### / { q = substr($0, 5) } /Seq Scan/ && !(q in seen) { seen[q]; print q }' "$plans_file" | paste -sd ';' -)
  row scale "hot queries with a sequential scan (plans: $plans_file)" \
    "${scans:-none} (of $(grep -c '^### ' "$plans_file") queries)" "every hot query on an index"
  local q t
  while IFS='|' read -r q t; do
    row scale "plan: $q" "$t ms" "-"
  done < <(awk '/^### / { q = substr($0, 5) } /Execution Time/ { print q "|" $(NF-1) }' "$plans_file")
  scale_ready=1 # the hub is left running on this database for the recount
}

section_sweep() {
  local db=claims_bench_sweep port=$((port_base + 4)) cr cm sample bystander due target
  say "sweep: $sweep_claims liability deadlines passing at one instant"
  fresh_db $db
  start_hub sweep $port "$(pg_url $db)" --clock "$clock_start"
  examples
  cr=$(token CR00001)
  cm=$(token CM00001)
  # An acknowledged claim (its next deadline: the liability decision), copied; and a withdrawn
  # one (nothing due, ever), copied, for the reads during the sweep.
  sample=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" | jq -r .id)
  api 200 POST "/v1/claims/$sample/actions/acknowledge" "$cm" '{"compensator_reference": "BENCH/SWEEP"}' \
    -H 'If-Match: "1"' >/dev/null
  due=$(api 200 GET "/v1/claims/$sample" "$cm" | jq -r '.deadlines[] | select(.name == "liability_decision") | .due_at')
  [ -n "$due" ] || die "the sweep's sample claim has no liability deadline"
  bystander=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" | jq -r .id)
  api 200 POST "/v1/claims/$bystander/actions/withdraw" "$cr" '{"comment": "benchmark bystander"}' \
    -H 'If-Match: "1"' >/dev/null
  local started
  started=$(now_s)
  pg -d $db -v sample="$sample" -v count="$sweep_claims" -v prefix=SWEEP -f "$lua/copies.sql"
  pg -d $db -v sample="$bystander" -v count=200 -v prefix=BYSTANDER -f "$lua/copies.sql"
  pg -d $db -c "VACUUM ANALYZE claims"
  echo "   seeded $sweep_claims claims in $(since "$started") s; liability deadline $due"
  target=$(pgv -d $db -c "SELECT to_char(('$due'::timestamptz + interval '1 second') AT TIME ZONE 'UTC',
    'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
  pgv -d $db -c "SELECT '/v1/claims/' || id FROM claims WHERE cr_reference LIKE 'BYSTANDER/%'" >"$work/sweep-get.paths"
  local due_sql="SELECT count(*) FROM claims WHERE next_due_at <= '$target'"
  local due_now
  due_now=$(pgv -d $db -c "$due_sql")
  [ "$due_now" -ge "$sweep_claims" ] || die "only $due_now claims would be due at $target"

  say "sweep: reads before the sweep ($probe_rate/s, $duration s)"
  run_wrk sweep-warmup paths.lua "$(conns_for "$probe_rate")" "$warmup" BENCH_RATE="$probe_rate" \
    BENCH_PATHS="$work/sweep-get.paths" BENCH_TOKEN="$cr"
  run_wrk sweep-before paths.lua "$(conns_for "$probe_rate")" "$duration" BENCH_RATE="$probe_rate" BENCH_PATHS="$work/sweep-get.paths" BENCH_TOKEN="$cr"
  say "sweep: PUT /v1/sandbox/clock {\"now\": \"$target\"} ($due_now claims due then)"
  probe_start sweep-during "$work/sweep-get.paths" "$cr"
  local t0 applied= clock_done=
  t0=$(now_s)
  (curl -s -o "$work/clock.body" -w '%{http_code} %{time_total}\n' --max-time "$sweep_timeout" -X PUT \
    -H "Authorization: Bearer $cr" -H 'Content-Type: application/json' --data "{\"now\": \"$target\"}" \
    "$base/v1/sandbox/clock" >"$work/clock.result" || echo "000 $(since "$t0")" >"$work/clock.result") &
  local clock_pid=$!
  helper_pids+=("$clock_pid")
  local left=$due_now
  while :; do
    [ -n "$clock_done" ] || { kill -0 "$clock_pid" 2>/dev/null || clock_done=$(since "$t0"); }
    if [ -z "$applied" ]; then
      left=$(pgv -d $db -c "$due_sql")
      [ "$left" -ne 0 ] || applied=$(since "$t0")
    fi
    [ -z "$applied" ] || [ -z "$clock_done" ] || break
    [ "$(calc "$(since "$t0") > $sweep_timeout")" = 0 ] || break
    sleep 0.5
  done
  wait "$clock_pid" 2>/dev/null || true
  probe_stop
  local clock_status clock_time
  read -r clock_status clock_time <"$work/clock.result"
  local statuses
  statuses=$(pgv -d $db -c "SELECT status || ' ' || count(*) FROM claims WHERE cr_reference LIKE 'SWEEP/%'
    GROUP BY status ORDER BY 1" | paste -sd ',' -)
  stop_hub

  [ "$clock_status" = 200 ] || fail sweep "PUT /v1/sandbox/clock answered $clock_status: $(head -c 300 "$work/clock.body")"
  local said
  said=$(jq -r 'if type == "object" and has("sweep_complete") then ", sweep_complete: \(.sweep_complete)" else "" end' \
    "$work/clock.body" 2>/dev/null || true)
  row sweep "PUT /v1/sandbox/clock past $sweep_claims deadlines: answered after" \
    "$(fmt "$clock_time" 2) s (status $clock_status$said)" "returns promptly or documents its bound"
  if [ -n "$applied" ]; then
    row sweep "until no claim is due (every consequence applied)" \
      "$applied s ($(calc "int($due_now / ($applied > 0 ? $applied : 1))") claims/s); the copies now: $statuses" "< 60 s, in batches"
  else
    fail sweep "consequences not all applied within $sweep_timeout s ($left still due)"
    row sweep "until no claim is due (every consequence applied)" \
      "NOT DONE within $sweep_timeout s: $left of $due_now still due; the copies now: $statuses" "< 60 s, in batches"
  fi
  row sweep "GET /v1/claims/{id} of other claims ($probe_rate/s): p99 before → during the sweep" \
    "$(wrk_value sweep-before p99_ms) ms → $(wrk_value sweep-during p99_ms) ms (during: $(wrk_summary sweep-during sweep))" \
    "API traffic not blocked"
}

section_recount() {
  local db port=$((port_base + 5)) cr op sample
  if [ -n "$scale_ready" ]; then
    db=claims_bench_scale
    say "recount: a bank holiday at $claims claims (the scale database)"
  else
    db=claims_bench_recount
    say "recount: a bank holiday at $claims claims"
    fresh_db $db
    start_hub recount $port "$(pg_url $db)" --clock "$clock_start"
    examples
    cr=$(token CR00001)
    sample=$(api 201 POST /v1/claims "$cr" @"$work/rta.json" | jq -r .id)
    stop_hub
    seed_scale $db "$sample" 0 1 "$claims" 1 0 "$claims"
    start_hub recount $port "$(pg_url $db)"
  fi
  cr=$(token CR00001)
  op=$(token OP00001)
  local behind_sql="SELECT count(*) FROM claims WHERE next_deadline_date IS NOT NULL AND purged_at IS NULL
    AND calendar_revision < (SELECT revision FROM calendar_state WHERE id = 1)"
  local open
  open=$(pgv -d $db -c "SELECT count(*) FROM claims WHERE next_deadline_date IS NOT NULL AND purged_at IS NULL")
  pgv -d $db -c "SELECT '/v1/claims/' || id FROM claims WHERE claimant_rep_code = 'CR00001'
    AND next_deadline_date IS NOT NULL ORDER BY cr_reference LIMIT 1000" >"$work/recount-get.paths"
  run_wrk recount-warmup paths.lua "$(conns_for "$probe_rate")" "$warmup" BENCH_RATE="$probe_rate" \
    BENCH_PATHS="$work/recount-get.paths" BENCH_TOKEN="$cr"
  run_wrk recount-before paths.lua "$(conns_for "$probe_rate")" "$duration" BENCH_RATE="$probe_rate" BENCH_PATHS="$work/recount-get.paths" BENCH_TOKEN="$cr"
  say "recount: PUT /v1/admin/bank-holidays/$recount_date ($open claims with an open deadline)"
  probe_start recount-during "$work/recount-get.paths" "$cr"
  local t0 answer put_time done_after= left
  t0=$(now_s)
  answer=$(api 200 PUT "/v1/admin/bank-holidays/$recount_date" "$op" '' --max-time 900) || answer='{}'
  put_time=$(since "$t0")
  while :; do
    left=$(pgv -d $db -c "$behind_sql")
    [ "$left" -ne 0 ] || { done_after=$(since "$t0"); break; }
    [ "$(calc "$(since "$t0") > $recount_timeout")" = 0 ] || break
    sleep 1
  done
  probe_stop
  local moved
  moved=$(pgv -d $db -c "SELECT count(DISTINCT claim_id) FROM claim_events WHERE event_type = 'claim.deadline_changed'")
  stop_hub

  [ "$(jq -r .changed <<<"$answer")" = true ] || fail recount "the calendar change did not take: $answer"
  row recount "PUT /v1/admin/bank-holidays/$recount_date at $open open claims: answered after" \
    "$(fmt "$put_time" 2) s ($(jq -c '{recount_complete, claims_to_recount, claims_rescheduled}' <<<"$answer"))" "returns at once"
  if [ -n "$done_after" ]; then
    row recount "until every open deadline is counted on the new calendar" \
      "$done_after s ($(calc "int($open / ($done_after > 0 ? $done_after : 1))") claims/s; $moved claims' deadlines moved)" \
      "1M in < 5 min, in batches"
  else
    fail recount "recount not finished within $recount_timeout s ($left still behind)"
    row recount "until every open deadline is counted on the new calendar" \
      "NOT DONE within $recount_timeout s: $left of $open still behind ($moved moved so far)" "1M in < 5 min, in batches"
  fi
  row recount "GET /v1/claims/{id} ($probe_rate/s): p99 before → during the recount" \
    "$(wrk_value recount-before p99_ms) ms → $(wrk_value recount-during p99_ms) ms (during: $(wrk_summary recount-during recount))" \
    "traffic unaffected"
}

section_sqlite() {
  local port=$((port_base + 6)) cr
  say "sqlite: $connections connections of submissions, $duration s, embedded SQLite"
  mkdir -p "$work/sqlite"
  start_hub sqlite $port "sqlite://$work/sqlite/bench.sqlite3" --clock "$clock_start"
  examples
  cr=$(token CR00001)
  api 201 POST /v1/claims "$cr" @"$work/rta.json" >/dev/null
  run_wrk sqlite-submit submit.lua "$connections" "$duration" \
    BENCH_BODY="$work/submit.json" BENCH_TOKEN="$cr" BENCH_RUN="q$(date +%s)"
  stop_hub
  row sqlite "submissions on SQLite, $connections connections: rate, p50, p99" \
    "$(wrk_summary sqlite-submit sqlite)" "≥ 500/s; p99 < 100 ms"
}

section_tokens() {
  local db=claims_bench_tokens port=$((port_base + 7)) cm
  say "tokens: one client guessing secrets on $connections connections while another reads ($probe_rate/s)"
  fresh_db $db
  # The token guard's own limits stay as configured; only the request-rate limiter is off. The
  # guesser and the rightful client come from different addresses (X-Forwarded-For, from a
  # trusted proxy): the guesser's own address is refused once it fails too often.
  export CLAIMS_EXCHANGE_TRUSTED_PROXIES='["127.0.0.1"]'
  start_hub tokens $port "$(pg_url $db)" --clock "$clock_start"
  unset CLAIMS_EXCHANGE_TRUSTED_PROXIES
  examples
  cm=$(token CM00001)
  local sample
  sample=$(api 201 POST /v1/claims "$(token CR00001)" @"$work/rta.json" | jq -r .id)
  echo "/v1/claims/$sample" >"$work/tokens-get.paths"
  echo "/v1/claims?limit=50" >>"$work/tokens-get.paths"
  run_wrk tokens-before paths.lua "$(conns_for "$probe_rate")" "$duration" BENCH_RATE="$probe_rate" \
    BENCH_PATHS="$work/tokens-get.paths" BENCH_TOKEN="$cm"
  probe_start tokens-during "$work/tokens-get.paths" "$cm"
  run_wrk tokens-flood token-flood.lua "$connections" "$duration" BENCH_CLIENT=cr00002-sandbox
  probe_stop
  # The rightful client still gets its token (after at most the guard's short delay).
  local started right
  started=$(now_s)
  right=$(curl -sf "$base/oauth/token" -H 'X-Forwarded-For: 10.1.1.1' -d grant_type=client_credentials \
    -d client_id=cr00002-sandbox \
    -d client_secret="$(jq -r '.organisations[] | select(.code == "CR00002") | .client_secret' "$hub_dir/creds.json")" \
    | jq -er .access_token || true)
  local waited
  waited=$(since "$started")
  stop_hub
  row tokens "guesses: $connections connections of wrong secrets for one client id" \
    "$(fmt "$(wrk_value tokens-flood rps)")/s answered (statuses $(wrk_value tokens-flood statuses)), p99 $(wrk_value tokens-flood p99_ms) ms" "-"
  row tokens "another client's reads ($probe_rate/s): p99 before → during the flood" \
    "$(wrk_value tokens-before p99_ms) ms → $(wrk_value tokens-during p99_ms) ms ($(wrk_summary tokens-during tokens))" "p99 < 50 ms"
  if [ -n "$right" ]; then
    row tokens "the guessed client's right secret, just after the flood" "token issued in $waited s" "works"
  else
    fail tokens "the guessed client's right secret was refused after the flood"
    row tokens "the guessed client's right secret, just after the flood" "**refused**" "works"
  fi
}

# ----------------------------------------------------------------------------------- run
echo "benches/load.sh: sections $only; work directory $work"
echo "machine: $(machine)"
echo "hub: $(hub_description)"
if selected submit || selected memory; then section_submit; fi
if selected mixed; then section_mixed; fi
if selected scale; then section_scale; fi
if selected recount; then section_recount; fi
if selected scale; then stop_hub; fi
if selected sweep; then section_sweep; fi
if selected sqlite; then section_sqlite; fi
if selected tokens; then section_tokens; fi
write_results
if [ ${#failures[@]} -gt 0 ]; then
  warn "some figures are not trustworthy:"
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
