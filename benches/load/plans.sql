-- psql -v claim=<id> -v rep=<code> -v as_of=<instant> -v deep_key=<instant> -v deep_id=<id>
--      -v after=<feed position> -v now=<instant> -v revision=<n>
-- EXPLAIN (ANALYZE, BUFFERS) of the hub's hot queries, written as the hub sends them
-- (crates/persistence/src/queries/claims.rs and events.rs; page size 50, so LIMIT 51).
-- Output is Markdown: a heading and a fenced plan per query.
\pset pager off
\pset footer off
\pset tuples_only on

\echo '### Get a claim by id (GET /v1/claims/{id})'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE id = :'claim' AND purged_at IS NULL LIMIT 1;
\echo '```'

\echo '### List, first page (GET /v1/claims?limit=50)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE purged_at IS NULL AND claimant_rep_code = :'rep'
ORDER BY updated_at DESC, id DESC LIMIT 51;
\echo '```'

\echo '### List, deep page (a cursor a quarter of the way through the organisation''s claims)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE purged_at IS NULL AND claimant_rep_code = :'rep'
  AND updated_at <= :'as_of' AND (claims.updated_at, claims.id) < (:'deep_key', :'deep_id')
ORDER BY updated_at DESC, id DESC LIMIT 51;
\echo '```'

\echo '### List, deep page: the claims changed since the walk began (looked up on every later page)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT id FROM claims WHERE purged_at IS NULL AND claimant_rep_code = :'rep'
  AND updated_at > :'as_of' AND submitted_at <= :'as_of';
\echo '```'

\echo '### Status filter (GET /v1/claims?status=rejected)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE purged_at IS NULL AND claimant_rep_code = :'rep' AND status = 'rejected'
ORDER BY updated_at DESC, id DESC LIMIT 51;
\echo '```'

\echo '### Deadline filter (GET /v1/claims?deadline_before=<a month after the clock>)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE purged_at IS NULL AND claimant_rep_code = :'rep'
  AND next_deadline_date < (:'now'::timestamptz + interval '1 month')::date
ORDER BY updated_at DESC, id DESC LIMIT 51;
\echo '```'

\echo '### Event feed page for one organisation (GET /v1/events?after=<half way>)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT r.position, e.* FROM event_recipients r JOIN claim_events e ON e.id = r.event_id
WHERE r.organisation_code = :'rep' AND r.position > :after
ORDER BY r.position LIMIT 51;
\echo '```'

\echo '### Event feed, first page for one organisation (GET /v1/events)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT r.position, e.* FROM event_recipients r JOIN claim_events e ON e.id = r.event_id
WHERE r.organisation_code = :'rep' AND r.position > 0
ORDER BY r.position LIMIT 51;
\echo '```'

\echo '### Sequencer: unsequenced events (looked up by every write and feed read)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT count(*) FROM claim_events WHERE position IS NULL;
\echo '```'

\echo '### Sweeper: the next claims due'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT id FROM claims WHERE next_due_at <= :'now' ORDER BY next_due_at LIMIT 200;
\echo '```'

\echo '### Recount: the next claims counted on an older calendar (just after a change: every claim is)'
\echo '```'
EXPLAIN (ANALYZE, BUFFERS)
SELECT * FROM claims WHERE next_deadline_date IS NOT NULL AND calendar_revision < :revision + 1
  AND purged_at IS NULL ORDER BY id LIMIT 500;
\echo '```'
