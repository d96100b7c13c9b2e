-- Customer-held keys (issue 20): the age X25519 public key (age1...) an add-on's snapshots are
-- encrypted to, null when off. A public key, not a secret: stored as it was pasted.
ALTER TABLE addon ADD COLUMN encryption_recipient text;
-- A sample file proves the customer holds the private key: the SHA-256 of its recipient and one-time
-- phrase, until the phrase comes back (the phrase itself is never stored).
ALTER TABLE addon ADD COLUMN encryption_sample_hash text;

-- The recipient a snapshot was encrypted to; null for a snapshot stored as the tool wrote it.
ALTER TABLE snapshot ADD COLUMN encrypted_to text;
