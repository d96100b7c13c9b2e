package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;

/** The dumper for each engine a database may run. */
public record Dumpers(PostgresDumper postgres, MysqlDumper mysql) {

    /**
     * @param workRoot           where each dump gets a private directory (AUTOBUS_HOME/tmp)
     * @param compressionThreads threads compressing PostgreSQL snapshots ({@code AUTOBUS_COMPRESSION_THREADS})
     */
    public static Dumpers installed(java.nio.file.Path workRoot, int compressionThreads) {
        var tools = Tools.installed(workRoot);
        return new Dumpers(new PostgresDumper(tools, CompressionThreads.of(compressionThreads)), new MysqlDumper(tools));
    }

    public Dumper forEngine(DatabaseUrl.Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> postgres;
            case MYSQL -> mysql;
        };
    }
}
