-- psql -v sample=<claim id>: the SQL literals submission.pgbench is filled with, as one JSON
-- object (placeholder name -> literal), copied from the rows the hub wrote for that claim's
-- submission (which must have carried an Idempotency-Key).
SELECT json_build_object(
    'CLAIM_TYPE', quote_nullable(c.claim_type),
    'STATUS', quote_nullable(c.status),
    'VERSION', quote_nullable(c.version),
    'CLAIMANT_REP', quote_nullable(c.claimant_rep_code),
    'COMPENSATOR', quote_nullable(c.compensator_code),
    'CREATED_BY', quote_nullable(c.created_by_code),
    'NOTIFICATION_DATE', quote_nullable(c.notification_date),
    'CHILD', quote_nullable(c.child),
    'CM_REFERENCE', quote_nullable(c.cm_reference),
    'CNF', quote_nullable(c.cnf::text),
    'LIFECYCLE', quote_nullable(c.lifecycle::text),
    'NEXT_DUE_AT', quote_nullable(c.next_due_at),
    'NEXT_DEADLINE_DATE', quote_nullable(c.next_deadline_date),
    'DORMANT', quote_nullable(c.dormant),
    'PURGE_AT', quote_nullable(c.purge_at),
    'CALENDAR_REVISION', quote_nullable(c.calendar_revision),
    'EVENT_TYPE', quote_nullable(e.event_type),
    'EVENT_ACTOR_ORG', quote_nullable(e.actor_org),
    'EVENT_ACTOR_CLIENT', quote_nullable(e.actor_client),
    'EVENT_ACTING_USER', quote_nullable(e.acting_user),
    'EVENT_DATA', quote_nullable(e.data::text),
    'AUDIT_ACTION', quote_nullable(a.action),
    'AUDIT_ACTOR_ORG', quote_nullable(a.actor_org),
    'AUDIT_ACTOR_CLIENT', quote_nullable(a.actor_client),
    'AUDIT_ACTING_USER', quote_nullable(a.acting_user),
    'AUDIT_DETAIL', quote_nullable(a.detail::text),
    'FACT_KIND', quote_nullable(s.kind),
    'FACT_CLAIM_TYPE', quote_nullable(s.claim_type),
    'FACT_OCCURRED_ON', quote_nullable(s.occurred_on),
    'FACT_MONTH', quote_nullable(s.month),
    'FACT_DETAIL', quote_nullable(s.detail),
    'FACT_PARTY', quote_nullable(s.party),
    'FACT_BUSINESS_DAYS', quote_nullable(s.business_days),
    'CLIENT_ID', quote_nullable(k.client_id),
    'REQUEST_HASH', quote_nullable(k.request_hash),
    'RESPONSE_STATUS', quote_nullable(k.response_status),
    'RESPONSE_HEADERS', quote_nullable(k.response_headers::text),
    'RESPONSE_BODY', quote_nullable(k.response_body)
)
FROM claims c
JOIN LATERAL (SELECT * FROM claim_events WHERE claim_id = c.id ORDER BY id LIMIT 1) e ON true
JOIN LATERAL (SELECT * FROM claim_audit WHERE claim_id = c.id ORDER BY id LIMIT 1) a ON true
-- the facts name no claim: the submission's is the first of its kind and claim type
JOIN LATERAL (SELECT * FROM claim_statistics ORDER BY id LIMIT 1) s ON true
JOIN LATERAL (SELECT * FROM idempotency_keys WHERE completed_at IS NOT NULL
              ORDER BY created_at LIMIT 1) k ON true
WHERE c.id = :'sample';
