-- psql -v sample=<claim id> -v count=<n> -v prefix=<text>: n exact copies of one claim (same
-- status, version, documents and deadlines; new ids; case references <prefix>/1 .. <prefix>/n).
-- Used for pools of claims that must all be in one state: claims to acknowledge in the mixed
-- load, deadlines passing at one instant in the sweep.
INSERT INTO claims (id, claim_type, status, version, claimant_rep_code, compensator_code,
    created_by_code, notification_date, child, cr_reference, cm_reference, cnf, lifecycle,
    next_due_at, next_deadline_date, submitted_at, updated_at, dormant, purge_at, calendar_revision)
SELECT gen_random_uuid(), t.claim_type, t.status, t.version, t.claimant_rep_code, t.compensator_code,
       t.created_by_code, t.notification_date, t.child, :'prefix' || '/' || n, t.cm_reference, t.cnf,
       t.lifecycle, t.next_due_at, t.next_deadline_date, t.submitted_at, t.updated_at, t.dormant,
       t.purge_at, t.calendar_revision
FROM claims t, generate_series(1, :count) AS n
WHERE t.id = :'sample';
