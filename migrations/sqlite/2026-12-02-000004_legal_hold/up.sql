-- An organisation terminated for a breach of the hub's terms is placed on legal hold: none of
-- its claims is purged while it lasts (domain.md §9).
ALTER TABLE organisations ADD COLUMN legal_hold BOOLEAN NOT NULL DEFAULT FALSE;
