-- Access review (domain.md §9): an organisation's reads and changes of claims, by time.
CREATE INDEX claim_audit_by_actor ON claim_audit (actor_org, id);
