-- psql -v sample=<claim id> -v first=<n> -v last=<m>: claims number n..m of the scale database,
-- copies of one claim submitted through the API. Claim n has the id md5('scale-claim-' || n)
-- (so events can point at it), belongs to CR00001 when n is even and to CR00002 otherwise (both
-- against the sample's compensator), was last changed up to a year before the sample, and is one
-- in fifty `rejected` (no deadline, nothing due: the selective status filter); the others keep the
-- sample's status and lifecycle, with their next deadline date spread over 90 days.
INSERT INTO claims (id, claim_type, status, version, claimant_rep_code, compensator_code,
    created_by_code, notification_date, child, cr_reference, cm_reference, cnf, lifecycle,
    next_due_at, next_deadline_date, submitted_at, updated_at, dormant, purge_at, calendar_revision)
SELECT md5('scale-claim-' || n)::uuid, t.claim_type,
       CASE WHEN n % 50 = 0 THEN 'rejected' ELSE t.status END,
       t.version,
       CASE WHEN n % 2 = 0 THEN 'CR00001' ELSE 'CR00002' END,
       t.compensator_code,
       CASE WHEN n % 2 = 0 THEN 'CR00001' ELSE 'CR00002' END,
       t.notification_date, t.child, 'SCALE/' || n, t.cm_reference, t.cnf, t.lifecycle,
       CASE WHEN n % 50 = 0 THEN NULL ELSE t.next_due_at END,
       CASE WHEN n % 50 = 0 THEN NULL ELSE t.next_deadline_date + (n % 90) END,
       t.submitted_at - make_interval(secs => n % 31536000),
       t.updated_at - make_interval(secs => n % 31536000),
       t.dormant, t.purge_at, t.calendar_revision
FROM claims t, generate_series(:first, :last) AS n
WHERE t.id = :'sample';
