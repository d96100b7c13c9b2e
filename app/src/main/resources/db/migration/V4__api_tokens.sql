-- The personal API token of the seed's REST API: off by default, stored as a hash, shown once.
ALTER TABLE addon ADD COLUMN api_enabled boolean DEFAULT false NOT NULL;
ALTER TABLE addon ADD COLUMN api_token_hash varchar(64);
CREATE UNIQUE INDEX addon_api_token_hash_idx ON addon (api_token_hash);
