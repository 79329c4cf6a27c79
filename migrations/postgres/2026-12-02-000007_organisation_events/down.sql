DELETE FROM event_recipients WHERE event_id IN (SELECT id FROM claim_events WHERE claim_id IS NULL);
DELETE FROM claim_events WHERE claim_id IS NULL;
ALTER TABLE claim_events ALTER COLUMN claim_id SET NOT NULL;
