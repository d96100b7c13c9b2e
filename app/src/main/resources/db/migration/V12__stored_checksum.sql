-- The checksum of the stored copy (issue 20): computed while uploading, and equal to the one the
-- store reported for what it holds. CRC32C of the whole object, base64 as S3 spells it; null for
-- snapshots stored before it was recorded.
ALTER TABLE snapshot ADD COLUMN stored_checksum_algorithm varchar(16);
ALTER TABLE snapshot ADD COLUMN stored_checksum text;
