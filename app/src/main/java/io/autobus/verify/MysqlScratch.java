package io.autobus.verify;

import io.autobus.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The MySQL or MariaDB that restores are tried on ({@code VERIFY_MYSQL_URL}). */
final class MysqlScratch implements ScratchServer {
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
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return new DatabaseUrl(admin.engine(), admin.user(), admin.password(), admin.host(), admin.port(), name, admin.parameters());
    }

    @Override
    public void drop(String name) throws SQLException {
        execute("DROP DATABASE IF EXISTS " + name);
    }

    @Override
    public List<String> scratchDatabases() throws SQLException {
        var names = new ArrayList<String>();
        try (var connection = connect(admin); var statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW DATABASES LIKE 'autobus\\\\_verify\\\\_%'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Override
    public Connection connect(DatabaseUrl database) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", database.user());
        properties.setProperty("password", database.password());
        properties.setProperty("sslMode", database.localHost() ? "disable" : "trust");
        return DriverManager.getConnection("jdbc:mariadb://" + database.host() + ":" + database.port() + "/" + database.database(), properties);
    }

    private void execute(String sql) throws SQLException {
        try (var connection = connect(admin); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
