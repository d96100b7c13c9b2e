package io.autobus.dump;

/** The dumper for each engine a database may run. */
public record Dumpers(PostgresDumper postgres, MysqlDumper mysql) {

    /** @param workRoot where each dump gets a private directory (AUTOBUS_HOME/tmp) */
    public static Dumpers installed(java.nio.file.Path workRoot) {
        var tools = Tools.installed(workRoot);
        return new Dumpers(new PostgresDumper(tools), new MysqlDumper(tools));
    }

    /** @param engine {@code postgresql}, {@code mysql} or {@code mariadb} */
    public Dumper forEngine(String engine) {
        return switch (engine) {
            case "postgresql" -> postgres;
            case "mysql", "mariadb" -> mysql;
            default -> throw new DumpException("Autobus cannot back up " + engine + " databases");
        };
    }
}
