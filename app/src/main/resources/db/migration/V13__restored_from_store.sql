-- When the stored copy of a snapshot was last downloaded and restored (a verification after upload,
-- "Verify again", the monthly deep check): a verification in flight restores the dump, not the stored
-- copy, so the monthly deep check goes by this, not by verified_at.
ALTER TABLE snapshot ADD COLUMN restored_from_store_at timestamptz;
UPDATE snapshot SET restored_from_store_at = verified_at WHERE verification IN ('verified', 'failed');
