package io.autobus.dump;

import io.autobus.dump.DatabaseUrl;

/** The dumper for each engine a database may run. */
public record Dumpers(PostgresDumper postgres, MysqlDumper mysql) {

    /**
     * @param tools              the installed client tools (each dump gets a private directory in their work root)
     * @param compressionThreads threads compressing PostgreSQL snapshots ({@code AUTOBUS_COMPRESSION_THREADS})
     * @param dumpsAtOnce        the most dumps this process runs at once ({@code AUTOBUS_WORKER_THREADS})
     */
    public static Dumpers of(Tools tools, int compressionThreads, int dumpsAtOnce) {
        return new Dumpers(new PostgresDumper(tools, CompressionThreads.of(compressionThreads, dumpsAtOnce)), new MysqlDumper(tools));
    }

    public Dumper forEngine(DatabaseUrl.Engine engine) {
        return switch (engine) {
            case POSTGRESQL -> postgres;
            case MYSQL -> mysql;
        };
    }
}
