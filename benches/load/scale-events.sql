-- psql -v sample_event=<event id> -v first=<n> -v last=<m> -v claims=<c> -v base=<b>: feed
-- events number n..m of the scale database, copies of one claim.submitted event. Event n has id
-- and feed position b + n (already sequenced), is about scale claim 1 + n % c, and went to that
-- claim's two parties (a recipient row each, with the position: the feed reads through them). It
-- occurred up to 20 days before the sample event, inside the 30 days the hub keeps events.
INSERT INTO claim_events (id, claim_id, event_type, occurred_at, actor_org, actor_client,
    acting_user, data, position)
SELECT :base + n, md5('scale-claim-' || (1 + n % :claims))::uuid, e.event_type,
       e.occurred_at - make_interval(secs => n % 1728000),
       CASE WHEN (1 + n % :claims) % 2 = 0 THEN 'CR00001' ELSE 'CR00002' END,
       CASE WHEN (1 + n % :claims) % 2 = 0 THEN 'cr00001-sandbox' ELSE 'cr00002-sandbox' END,
       e.acting_user, e.data, :base + n
FROM claim_events e, generate_series(:first, :last) AS n
WHERE e.id = :sample_event;

INSERT INTO event_recipients (organisation_code, event_id, position)
SELECT CASE WHEN (1 + n % :claims) % 2 = 0 THEN 'CR00001' ELSE 'CR00002' END, :base + n, :base + n
FROM generate_series(:first, :last) AS n
UNION ALL
SELECT (SELECT compensator_code FROM claims WHERE id = (SELECT claim_id FROM claim_events
        WHERE id = :sample_event)), :base + n, :base + n
FROM generate_series(:first, :last) AS n;
