package io.autobus.addon;

import io.autobus.dump.DatabaseUrl;

/**
 * A database found in the app's config vars, without its credentials.
 *
 * @param configVar the config var that holds its URL, e.g. {@code HEROKU_POSTGRESQL_PURPLE_URL}
 * @param engine    {@code postgresql}, {@code mysql} or {@code mariadb}
 */
public record FoundDatabase(String configVar, String engine, String host, int port, String databaseName) {

    static FoundDatabase of(String configVar, DatabaseUrl url) {
        String engine = url.engine() == DatabaseUrl.Engine.MYSQL && configVar.equals("JAWSDB_MARIA_URL") ? "mariadb"
                : url.engine().column();
        return new FoundDatabase(configVar, engine, url.host(), url.port(), url.database());
    }

    /** {@code PostgreSQL}, {@code MySQL} or {@code MariaDB}, for pages (behaviour goes by {@link #engine()}). */
    public String engineLabel() {
        return engineLabel(engine);
    }

    /** An engine value as people write it: {@code mariadb} → {@code MariaDB}. */
    public static String engineLabel(String engine) {
        return switch (engine) {
            case "postgresql" -> "PostgreSQL";
            case "mariadb" -> "MariaDB";
            case "mysql" -> "MySQL";
            default -> engine;
        };
    }

    /** The name snapshots of this database carry: {@code DATABASE}, {@code PURPLE}, {@code JAWSDB}. */
    public String label() {
        return labelOf(configVar);
    }

    /** {@code DATABASE_URL} → {@code DATABASE}; {@code HEROKU_POSTGRESQL_PURPLE_URL} → {@code PURPLE}. */
    public static String labelOf(String configVar) {
        String label = configVar.endsWith("_URL") ? configVar.substring(0, configVar.length() - 4) : configVar;
        return label.startsWith("HEROKU_POSTGRESQL_") ? label.substring("HEROKU_POSTGRESQL_".length()) : label;
    }
}
