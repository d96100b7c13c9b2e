package io.autobus.dump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A database URL as Heroku and its add-on vendors hand them out:
 * {@code postgres://user:pass@host:5432/db}, {@code mysql://user:pass@host/db?reconnect=true}.
 * {@link #toString()} never shows the password, and no error message shows any part of the URL
 * after its scheme: a URL that cannot be read is usually one whose password has an unencoded
 * {@code @} or {@code /}, so any part of it may be a piece of the password.
 */
public record DatabaseUrl(Engine engine, String user, String password, String host, int port, String database,
                          Map<String, String> parameters) {

    public enum Engine {
        POSTGRESQL("postgresql"), MYSQL("mysql");

        private final String column;

        Engine(String column) {
            this.column = column;
        }

        /** As the {@code engine} columns hold it ({@code postgresql}, {@code mysql}; {@code mariadb} is MYSQL too). */
        public String column() {
            return column;
        }

        /** Whether an {@code engine} column's value is PostgreSQL's: the one test, instead of comparing strings. */
        public static boolean isPostgres(String engine) {
            return of(engine) == POSTGRESQL;
        }

        /** The engine of a snapshot's {@code engine} column: {@code postgresql}, {@code mysql} or {@code mariadb}. */
        public static Engine of(String engine) {
            return switch (engine) {
                case "postgresql" -> POSTGRESQL;
                case "mysql", "mariadb" -> MYSQL;
                default -> throw new IllegalArgumentException("unknown engine " + engine);
            };
        }
    }

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    static final String ENCODE_HINT = "special characters in user names and passwords (@ : / # ? % and spaces) "
            + "must be percent-encoded, e.g. @ as %40, / as %2F, # as %23";
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,19}");
    /** RFC 3986 user info: unreserved, sub-delims, ':' and %XX. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~][A-Za-z0-9._~-]*|\\[[0-9A-Fa-f:.]+]");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** @throws IllegalArgumentException saying which part is wrong, never quoting it */
    public static DatabaseUrl parse(String url) {
        String text = url == null ? "" : url.strip();
        int schemeEnd = text.indexOf("://");
        if (schemeEnd < 0 || !SCHEME.matcher(text.substring(0, schemeEnd)).matches()) {
            throw new IllegalArgumentException("the database URL must start with postgres://, mysql:// or mariadb://");
        }
        String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        Engine engine = switch (scheme) {
            case "postgres", "postgresql" -> Engine.POSTGRESQL;
            case "mysql", "mysql2", "mariadb" -> Engine.MYSQL;
            default -> throw new IllegalArgumentException("unsupported database URL scheme '" + scheme
                    + "': use postgres://, mysql:// or mariadb://");
        };
        String rest = text.substring(schemeEnd + 3);
        int authorityEnd = firstOf(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (rest.indexOf('@') != at || rest.indexOf('@') != rest.lastIndexOf('@')) {
            // an '@' after a '/', '?' or '#', or two of them: a password with unencoded characters
            throw new IllegalArgumentException("the user info (user name and password) of the database URL cannot be read: " + ENCODE_HINT);
        }
        String user = "";
        String password = "";
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            if (!USER_INFO.matcher(userInfo).matches()) {
                throw new IllegalArgumentException("the user info (user name and password) of the database URL cannot be read: " + ENCODE_HINT);
            }
            int colon = userInfo.indexOf(':');
            user = checked("user name", decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name"));
            password = checked("password", colon < 0 ? "" : decode(userInfo.substring(colon + 1), "password"));
        }
        String hostPort = authority.substring(at + 1);
        int portColon = hostPort.startsWith("[") ? hostPort.indexOf(':', Math.max(hostPort.indexOf(']'), 0)) : hostPort.indexOf(':');
        String host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the database URL has no host");
        }
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("the host of the database URL cannot be read (letters, digits, '.' and '-'); " + ENCODE_HINT);
        }
        int port = port(portColon < 0 ? "" : hostPort.substring(portColon + 1), engine);

        String tail = rest.substring(authorityEnd);
        if (tail.indexOf('#') >= 0) {
            throw new IllegalArgumentException("the database URL has a '#' after its host; as part of a database name or password "
                    + "it must be percent-encoded (%23)");
        }
        int query = tail.indexOf('?');
        String path = query < 0 ? tail : tail.substring(0, query);
        String database = decode(path.startsWith("/") ? path.substring(1) : path, "database name");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("the database URL names no database (it ends at the host)");
        }
        checkDatabaseName(checked("database name", database));
        return new DatabaseUrl(engine, user, password, host, port, database, parameters(query < 0 ? null : tail.substring(query + 1)));
    }

    /** True for a server on this machine, the only place where plain connections are acceptable. */
    public boolean localHost() {
        return LOCAL_HOSTS.contains(host.toLowerCase());
    }

    /** JDBC URL for the PostgreSQL driver, with {@link #sslMode()}. */
    public String postgresJdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode();
    }

    /**
     * The one TLS rule for PostgreSQL, for the driver and the tools ({@code PGSSLMODE}) alike: required off this
     * machine (Heroku Postgres refuses plain connections) unless the URL's {@code sslmode} says otherwise.
     */
    public String sslMode() {
        return parameters.getOrDefault("sslmode", localHost() ? "prefer" : "require");
    }

    @Override
    public String toString() {
        return engine.name().toLowerCase() + "://" + user + "@" + host + ":" + port + "/" + database;
    }

    private static int firstOf(String value, String characters) {
        for (int i = 0; i < value.length(); i++) {
            if (characters.indexOf(value.charAt(i)) >= 0) {
                return i;
            }
        }
        return value.length();
    }

    private static int port(String digits, Engine engine) {
        if (digits.isEmpty()) {
            return engine == Engine.POSTGRESQL ? 5432 : 3306;
        }
        if (!digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) < 1 || Integer.parseInt(digits) > 65535) {
            throw new IllegalArgumentException("the port of the database URL is not a number from 1 to 65535");
        }
        return Integer.parseInt(digits);
    }

    /** Names go to the tools' command lines and into JDBC URLs: no option lookalikes, no URL syntax. */
    private static void checkDatabaseName(String database) {
        if (database.startsWith("-")) {
            throw new IllegalArgumentException("the database name in the URL must not start with '-'");
        }
        if (firstOf(database, "/?#&;") < database.length()) {
            throw new IllegalArgumentException("the database name in the URL must not contain / ? # & or ;");
        }
    }

    /** Control characters (a newline, NUL...) would end a line of the tools' defaults file or a C string. */
    private static String checked(String part, String value) {
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new IllegalArgumentException("the " + part + " in the database URL contains a control character "
                    + "(such as a newline or NUL), which is not allowed");
        }
        return value;
    }

    private static Map<String, String> parameters(String rawQuery) {
        var parameters = new LinkedHashMap<String, String>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                if (!kv[0].isEmpty()) {
                    String name = decode(kv[0], "query string");
                    parameters.put(name, checked("query string", kv.length > 1 ? decode(kv[1], "query string") : ""));
                }
            }
        }
        String sslmode = parameters.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw new IllegalArgumentException("sslmode in the database URL must be one of " + String.join(", ", SSL_MODES.stream().sorted().toList()));
        }
        return Map.copyOf(parameters);
    }

    /** Strict percent-decoding ('+' is a plus): a '%' not followed by two hex digits is an error naming only the part. */
    private static String decode(String value, String part) {
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        var bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                bytes.write(raw[i]);
                continue;
            }
            int high = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int low = high >= 0 ? Character.digit(raw[i + 2], 16) : -1;
            if (low < 0) {
                throw new IllegalArgumentException("the " + part + " in the database URL has a '%' that is not followed by two hex digits; "
                        + ENCODE_HINT + ", % as %25");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** {@code text} with the password blanked wherever it appears (a server's refusal may quote a login holding it). */
    public String blanked(String text) {
        return blanked(text, password);
    }

    /** {@code text} with {@code secret} blanked wherever it appears. */
    public static String blanked(String text, String secret) {
        return secret == null || secret.isEmpty() || text == null ? text : text.replace(secret, "***");
    }
}
