#!/usr/bin/env bash
# Query plans of the claim list's hot queries at scale, on PostgreSQL: a fresh database, the
# hub's migrations, one real claim submitted through the API, then CLAIMS copies of it (spread
# over two claimant representatives, eight statuses, a year of updates and of deadlines), and
# EXPLAIN (ANALYZE, BUFFERS) of each query as the hub sends it. Prints the plans and timings.
#
#   benches/list-plans.sh                  # 1,000,000 claims
#   CLAIMS=100000 benches/list-plans.sh
#   HUB_BIN=target/release/claims-exchange benches/list-plans.sh
set -euo pipefail
cd "$(dirname "$0")/.."
claims=${CLAIMS:-1000000}
hub_bin=${HUB_BIN:-target/debug/claims-exchange}
database=plans_bench
pg="psql -X -q -h 127.0.0.1 -U postgres"
port=18400
[ -x "$hub_bin" ] || { echo "no hub binary at $hub_bin (cargo build first)" >&2; exit 1; }

$pg -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
url="postgres://postgres@127.0.0.1:5432/$database"
work=$(mktemp -d)
hub_pid=
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
(cd "$work" && exec "$OLDPWD/$hub_bin" serve --sandbox --database-url "$url" --listen "127.0.0.1:$port" \
  --clock 2025-08-22T09:00:00Z --credentials-file creds.json >hub.log 2>&1) &
hub_pid=$!
for _ in $(seq 1 60); do [ -s "$work/creds.json" ] && break; sleep 1; done
client=$(jq -r '.organisations[] | select(.code == "CR00001") | .client_id' "$work/creds.json")
secret=$(jq -r '.organisations[] | select(.code == "CR00001") | .client_secret' "$work/creds.json")
token=$(curl -sf "http://127.0.0.1:$port/oauth/token" -d grant_type=client_credentials \
  -d client_id="$client" -d client_secret="$secret" | jq -r .access_token)
curl -sf "http://127.0.0.1:$port/openapi.json" \
  | jq '.paths["/v1/claims"].post.requestBody.content["application/json"].examples.rta.value' >"$work/rta.json"
curl -sf -o /dev/null "http://127.0.0.1:$port/v1/claims" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d @"$work/rta.json"
kill "$hub_pid"; wait "$hub_pid" 2>/dev/null || true; hub_pid=

started=$(date +%s)
$pg -d "$database" <<SQL
INSERT INTO claims (id, claim_type, status, version, claimant_rep_code, compensator_code,
    created_by_code, notification_date, child, cr_reference, cm_reference, cnf, lifecycle,
    next_due_at, next_deadline_date, submitted_at, updated_at, dormant, purge_at, calendar_revision)
SELECT gen_random_uuid(), t.claim_type,
       (ARRAY['submitted','acknowledged','liability_admitted','settlement_pack_sent','rejected',
              'exited','closed','withdrawn'])[1 + n % 8],
       t.version,
       CASE WHEN n % 2 = 0 THEN 'CR00001' ELSE 'CR00002' END, t.compensator_code, t.created_by_code,
       t.notification_date, t.child, 'BENCH/' || n, t.cm_reference, t.cnf, t.lifecycle, t.next_due_at,
       CASE WHEN n % 8 < 4 THEN DATE '2025-09-01' + (n % 365) END,
       t.submitted_at, t.updated_at - make_interval(secs => n % 31536000), t.dormant, t.purge_at, 0
FROM claims t, generate_series(1, $claims) AS n
WHERE t.id = (SELECT id FROM claims LIMIT 1);
VACUUM ANALYZE claims;
SQL
echo "== $claims claims inserted in $(( $(date +%s) - started )) s"

explain() {
  echo "== $1"
  $pg -d "$database" -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $2"
}
explain "first page, one organisation, newest change first" \
  "SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = 'CR00001'
   ORDER BY updated_at DESC, id DESC LIMIT 51"
explain "status filter (status=rejected)" \
  "SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = 'CR00001' AND status = 'rejected'
   ORDER BY updated_at DESC, id DESC LIMIT 51"
explain "deadline filter (deadline_before, a month)" \
  "SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = 'CR00001'
   AND next_deadline_date < DATE '2025-10-01' ORDER BY updated_at DESC, id DESC LIMIT 51"
deep=$($pg -d "$database" -At -c "SELECT updated_at, id FROM claims WHERE claimant_rep_code = 'CR00001'
   ORDER BY updated_at DESC, id DESC OFFSET $(( claims / 4 )) LIMIT 1")
key=${deep%%|*}; id=${deep##*|}
explain "a deep page (cursor as the hub writes it: an OR of two conditions)" \
  "SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = 'CR00001'
   AND (updated_at < '$key' OR (updated_at = '$key' AND id < '$id'))
   ORDER BY updated_at DESC, id DESC LIMIT 51"
explain "a deep page (the same cursor as a row-value range)" \
  "SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = 'CR00001'
   AND (updated_at, id) < ('$key', '$id') ORDER BY updated_at DESC, id DESC LIMIT 51"
explain "the recount's next batch (claims counted on an older calendar)" \
  "SELECT id FROM claims WHERE next_deadline_date IS NOT NULL AND calendar_revision < 1
   AND purged_at IS NULL ORDER BY id LIMIT 500"
$pg -d postgres -c "DROP DATABASE $database"
