-- What wrote each snapshot and what restores it, and the server that verified it (issue 14).
-- The tool and its version, e.g. 'pg_dump 15.14' or 'mariadb-dump 10.11.6-MariaDB'.
ALTER TABLE snapshot ADD COLUMN dump_tool text;
-- Why that tool and not the server's own major's (none installed: the nearest newer one); null when it is.
ALTER TABLE snapshot ADD COLUMN dump_tool_note text;
-- The custom archive's format version read from the dump's head ('1.14'); null for SQL dumps.
ALTER TABLE snapshot ADD COLUMN archive_version varchar(16);
-- Which client restores the file: 'pg_restore 15 or newer', 'mysql / mariadb client'.
ALTER TABLE snapshot ADD COLUMN restore_with text;
-- The version of the server the last verification restored into, e.g. '15.15'.
ALTER TABLE snapshot ADD COLUMN verification_server_version text;
