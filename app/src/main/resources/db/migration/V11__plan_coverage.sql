-- Which databases a plan covers must not change as config vars are re-read: the order is
-- DATABASE_URL, then the order in which databases first appeared (discovered_at moves on every check).
ALTER TABLE addon_database ADD COLUMN first_seen_at timestamptz;
UPDATE addon_database SET first_seen_at = discovered_at;
ALTER TABLE addon_database ALTER COLUMN first_seen_at SET NOT NULL;
ALTER TABLE addon_database ALTER COLUMN first_seen_at SET DEFAULT now();

-- When the owner was told that this database is beyond the plan (told once; cleared once it is covered).
ALTER TABLE addon_database ADD COLUMN not_covered_notice_at timestamptz;
