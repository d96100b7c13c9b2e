-- How far a running snapshot's dump is (issue 15), written by the worker at most once a second
-- while it runs and cleared when the run ends, so that only a running snapshot has any.
-- Bytes of the database's data the dump has passed so far (uncompressed, as the tool wrote them).
ALTER TABLE snapshot ADD COLUMN progress_bytes bigint;
-- The data bytes the dump should pass in all (the dumped tables' sizes on the server); null while unknown.
ALTER TABLE snapshot ADD COLUMN progress_expected_bytes bigint;
-- The table being dumped ('public.orders', or 'orders' for MySQL); null between tables.
ALTER TABLE snapshot ADD COLUMN progress_table text;
