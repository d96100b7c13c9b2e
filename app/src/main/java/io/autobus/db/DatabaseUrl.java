package io.autobus.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A database URL as Heroku and its add-on vendors hand them out:
 * {@code postgres://user:pass@host:5432/db}, {@code mysql://user:pass@host/db?reconnect=true}.
 * {@link #toString()} never shows the password.
 */
public record DatabaseUrl(Engine engine, String user, String password, String host, int port, String database,
                          Map<String, String> parameters) {

    public enum Engine { POSTGRESQL, MYSQL }

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    public static DatabaseUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a database URL: " + redact(url));
        }
        Engine engine = switch (String.valueOf(uri.getScheme()).toLowerCase()) {
            case "postgres", "postgresql" -> Engine.POSTGRESQL;
            case "mysql", "mysql2", "mariadb" -> Engine.MYSQL;
            default -> throw new IllegalArgumentException("unsupported database URL scheme '" + uri.getScheme() + "'");
        };
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("database URL has no host: " + redact(url));
        }
        String user = "";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (engine == Engine.POSTGRESQL ? 5432 : 3306);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        if (database.isEmpty()) {
            throw new IllegalArgumentException("database URL names no database: " + redact(url));
        }
        return new DatabaseUrl(engine, user, password, uri.getHost(), port, database, parameters(uri.getRawQuery()));
    }

    /** True for a server on this machine, the only place where plain connections are acceptable. */
    public boolean localHost() {
        return LOCAL_HOSTS.contains(host.toLowerCase());
    }

    /** JDBC URL for the PostgreSQL driver; TLS is required off this machine unless the URL says otherwise. */
    public String postgresJdbcUrl() {
        String sslmode = parameters.getOrDefault("sslmode", localHost() ? "prefer" : "require");
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslmode;
    }

    @Override
    public String toString() {
        return engine.name().toLowerCase() + "://" + user + "@" + host + ":" + port + "/" + database;
    }

    private static Map<String, String> parameters(String rawQuery) {
        var parameters = new LinkedHashMap<String, String>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                if (!kv[0].isEmpty()) {
                    parameters.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
                }
            }
        }
        return Map.copyOf(parameters);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** For error messages: the URL with anything between "//" and "@" removed. */
    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
