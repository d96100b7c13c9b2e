package io.autobus.backup;

import io.autobus.dump.DatabaseUrl;

/** The command a customer restores a downloaded snapshot with, as the seed shows it (with the decryption step for {@code .age}). */
public final class RestoreCommands {
    private RestoreCommands() {
    }

    /**
     * @param host     the database's host, or null for a placeholder
     * @param database the database's name, or null for a placeholder
     */
    public static String yourself(Snapshot snapshot, String host, String database) {
        String file = snapshot.fileName();
        if (DatabaseUrl.Engine.isPostgres(snapshot.engine())) {
            String restore = "pg_restore --verbose --clean --if-exists --no-acl --no-owner -h " + or(host, "host") + " -U myuser -d "
                    + or(database, "mydb");
            // pg_restore reads the archive from stdin when it is given no file.
            return snapshot.encrypted() ? "age -d -i key.txt " + file + " | " + restore : restore + " " + file;
        }
        String mysql = "mysql -h " + or(host, "host") + " -uuser_name -ppassword " + or(database, "db_name");
        return snapshot.encrypted() ? "age -d -i key.txt " + file + " | gzip -d | " + mysql : "gzip -d -c " + file + " | " + mysql;
    }

    private static String or(String value, String placeholder) {
        return value == null || value.isBlank() ? placeholder : value;
    }
}
