-- Events about an organisation rather than a claim (an API client disabled for disuse) carry no
-- claim id.
ALTER TABLE claim_events ALTER COLUMN claim_id DROP NOT NULL;
