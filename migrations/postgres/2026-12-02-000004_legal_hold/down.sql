ALTER TABLE organisations DROP COLUMN legal_hold;
