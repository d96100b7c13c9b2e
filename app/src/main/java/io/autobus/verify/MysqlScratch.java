package io.autobus.verify;

import io.autobus.dump.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The MySQL or MariaDB that restores are tried on ({@code VERIFY_MYSQL_URL}). Each scratch
 * schema gets a user of its own with every privilege on that schema and none beyond it: no
 * FILE, SUPER, PROCESS or grant option, so a routine or event restored from a customer's dump
 * can neither write files nor reach other schemas. User names are {@code abv_<snapshot id>}
 * (MySQL allows 32 characters).
 */
final class MysqlScratch implements ScratchServer {
    private static final String USER_PREFIX = "abv_";

    private final DatabaseUrl admin;

    MysqlScratch(DatabaseUrl admin) {
        this.admin = admin;
    }

    @Override
    public int majorVersion() throws SQLException {
        try (var connection = connect(admin)) {
            return connection.getMetaData().getDatabaseMajorVersion();
        }
    }

    @Override
    public DatabaseUrl create(String name) throws SQLException {
        String password = ScratchServer.newPassword();
        String user = user(name);
        try (var connection = connect(admin); var statement = connection.createStatement()) {
            statement.execute("CREATE USER " + user + " IDENTIFIED BY '" + password + "'");
            statement.execute("CREATE DATABASE " + quote(name) + " CHARACTER SET utf8mb4");
            statement.execute("GRANT ALL PRIVILEGES ON " + quote(name) + ".* TO " + user);
        }
        return new DatabaseUrl(admin.engine(), USER_PREFIX + name.substring(PREFIX.length()), password, admin.host(), admin.port(),
                name, admin.parameters());
    }

    @Override
    public void drop(String name) throws SQLException {
        try (var connection = connect(admin); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + quote(name));
            statement.execute("DROP USER IF EXISTS " + user(name));
        }
    }

    @Override
    public List<String> scratchDatabases() throws SQLException {
        var names = new TreeSet<String>();
        try (var connection = connect(admin); var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery("SHOW DATABASES LIKE 'autobus\\\\_verify\\\\_%'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            try (var rows = statement.executeQuery("SELECT User FROM mysql.user WHERE User LIKE 'abv\\\\_%'")) {
                while (rows.next()) {
                    names.add(PREFIX + rows.getString(1).substring(USER_PREFIX.length()));
                }
            }
        }
        return List.copyOf(names);
    }

    @Override
    public Connection connect(DatabaseUrl database) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("sslMode", database.localHost() ? "disable" : "trust");
        properties.setProperty("connectTimeout", "15000");
        return DriverManager.getConnection("jdbc:mariadb://" + database.host() + ":" + database.port() + "/" + database.database(),
                properties);
    }

    private static String user(String name) {
        return "'" + USER_PREFIX + name.substring(PREFIX.length()) + "'@'%'";
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
