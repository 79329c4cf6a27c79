DROP INDEX claim_audit_by_actor;
