-- After seeding: the event id sequence and the feed sequencer moved past the seeded events (so
-- the hub's next events get higher ids and positions), and fresh planner statistics.
SELECT setval(pg_get_serial_sequence('claim_events', 'id'), (SELECT max(id) FROM claim_events));
UPDATE feed_sequencer
SET last_position = greatest(last_position, (SELECT coalesce(max(position), 0) FROM claim_events))
WHERE id = 1;
VACUUM ANALYZE claims;
VACUUM ANALYZE claim_events;
VACUUM ANALYZE event_recipients;
