package io.autobus.config;

import io.autobus.net.PrivateNetworks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service reads from its environment, read once at start. Absent variables take
 * the embedded defaults; secrets that are absent are generated once per machine (see
 * {@link DevSecrets}) except on a Heroku dyno, where they must be set.
 *
 * @param port               HTTP port ({@code PORT})
 * @param databaseUrl        the metadata PostgreSQL ({@code DATABASE_URL}); empty means embedded
 * @param addonId            the manifest id, user name of the partner API's Basic auth
 * @param password           the manifest api.password
 * @param ssoSalt            the manifest api.sso_salt
 * @param publicUrl          how browsers and the CLI reach this service
 * @param secretKey          32-byte key that encrypts secrets at rest
 * @param herokuApiUrl       Heroku Platform API
 * @param herokuIdUrl        Heroku's OAuth server
 * @param herokuOauthSecret  our OAuth client secret, to exchange provisioning grants
 * @param herokuApiKey       our own Heroku account's key, to read customers' config vars
 * @param collaboratorEmail  the Heroku account customers add as a collaborator
 * @param home               local state: embedded database, dev secrets
 * @param s3                 the two buckets, one per continent; empty means the local directory store
 * @param storageDir         the local directory store ({@code AUTOBUS_STORAGE_DIR})
 * @param verifyPostgresUrl  admin URL of a PostgreSQL where scratch databases may be created ({@code VERIFY_POSTGRES_URL});
 *                           it verifies snapshots of its own major (and of majors no embedded server has)
 * @param verifyPostgresUrlsByMajor {@code VERIFY_POSTGRES_URL_<major>}: the server that verifies snapshots of that major;
 *                           majors with neither get an embedded server of their own (14-18)
 * @param verifyMysqlUrl     admin URL of a MySQL/MariaDB for scratch schemas; empty means a private MariaDB the worker starts
 * @param smtpUrl            {@code smtp://user:pass@host:587} or {@code smtps://...}; empty keeps messages on the dashboard only
 * @param mailFrom           the From of notification mails
 * @param apiRateLimit       REST API requests a minute per credential ({@code AUTOBUS_API_RATE_LIMIT})
 * @param workerThreads      jobs a worker process runs at once ({@code AUTOBUS_WORKER_THREADS}): backups, verifications, checks
 * @param compressionThreads threads compressing PostgreSQL snapshots, shared by a worker's backups
 *                           ({@code AUTOBUS_COMPRESSION_THREADS}, default: available processors)
 * @param jobLimits          how long a backup or verification may run, and how many of one add-on's run at once
 * @param databasePoolSize   connections to the metadata database per process ({@code AUTOBUS_DATABASE_POOL_SIZE})
 * @param privateNetworks    whether customers' database and webhook hosts may be private or local ({@code AUTOBUS_PRIVATE_NETWORKS})
 * @param http               bounds on each HTTP connection: idle and header-read timeouts, connections per client address
 * @param embeddedDatabasePassword the superuser password of the embedded metadata PostgreSQL (kept in the development
 *                           secrets file); empty when DATABASE_URL is set
 * @param generatedSecrets   names of the secrets that came from {@link DevSecrets}, to print them
 */
public record Settings(
        int port,
        Optional<String> databaseUrl,
        String addonId,
        String password,
        String ssoSalt,
        URI publicUrl,
        byte[] secretKey,
        URI herokuApiUrl,
        URI herokuIdUrl,
        Optional<String> herokuOauthSecret,
        Optional<String> herokuApiKey,
        String collaboratorEmail,
        Path home,
        Optional<S3Settings> s3,
        Path storageDir,
        Optional<String> verifyPostgresUrl,
        Map<Integer, String> verifyPostgresUrlsByMajor,
        Optional<String> verifyMysqlUrl,
        Optional<URI> smtpUrl,
        String mailFrom,
        int apiRateLimit,
        int workerThreads,
        int compressionThreads,
        JobLimits jobLimits,
        int databasePoolSize,
        PrivateNetworks privateNetworks,
        HttpLimits http,
        String embeddedDatabasePassword,
        List<String> generatedSecrets) {

    /**
     * S3 storage: snapshots of US apps go to {@code bucketEu}, of EU apps to {@code bucketUs}.
     *
     * @param endpoint        an S3-compatible server (path-style addressing); empty for AWS
     * @param accessKeyId     from AWS_ACCESS_KEY_ID; empty means the SDK's default chain
     * @param uploadMemoryMb  the part buffers of all this process's uploads at once ({@code AUTOBUS_UPLOAD_MEMORY_MB})
     * @param uploadPartMb    the smallest part of an upload ({@code AUTOBUS_UPLOAD_PART_MB}); later parts grow from it
     */
    public record S3Settings(String bucketUs, String regionUs, String bucketEu, String regionEu, Optional<URI> endpoint,
                             Optional<String> accessKeyId, Optional<String> secretAccessKey, int uploadMemoryMb, int uploadPartMb) {
        /**
         * Four uploads' parts of a dump under 15 GB (three 8 MiB buffers each) with room to spare, and one
         * 160 MiB part of a dump over 140 GB: within a 512 MB dyno's heap beside the rest of the worker.
         */
        public static final int UPLOAD_MEMORY_MB = 160;
        /** Parts of 8 MiB keep a small database's upload small; S3 takes no part under 5 MiB but the last. */
        public static final int UPLOAD_PART_MB = 8;

        @Override
        public String toString() {
            return "S3Settings[bucketUs=" + bucketUs + ", regionUs=" + regionUs + ", bucketEu=" + bucketEu
                    + ", regionEu=" + regionEu + ", endpoint=" + endpoint + "]";
        }
    }

    /**
     * Bounds on the jobs that touch customers' databases, so that one customer's unanswering
     * database cannot hold the workers.
     *
     * @param backupTimeout            a backup's wall-clock limit ({@code AUTOBUS_BACKUP_TIMEOUT}); then its dump is killed
     * @param verifyTimeout            a verification's restore and counts ({@code AUTOBUS_VERIFY_TIMEOUT})
     * @param addonBackupsAtOnce       backups of one add-on running at once, across all workers ({@code AUTOBUS_ADDON_BACKUPS_AT_ONCE})
     * @param addonVerificationsAtOnce verifications of one add-on at once ({@code AUTOBUS_ADDON_VERIFICATIONS_AT_ONCE})
     * @param verifyInFlightWait       how long an upload waits at most for the restore verifying it in flight to make room,
     *                                 before it goes on alone and the snapshot is verified after upload
     *                                 ({@code AUTOBUS_VERIFY_IN_FLIGHT}: {@code on} is 30 s, or a duration); zero: not in flight
     */
    public record JobLimits(Duration backupTimeout, Duration verifyTimeout, int addonBackupsAtOnce, int addonVerificationsAtOnce,
                            Duration verifyInFlightWait) {
        public static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(30);
        public static final JobLimits DEFAULT = new JobLimits(Duration.ofHours(6), Duration.ofHours(12), 1, 1, IN_FLIGHT_WAIT);

        public JobLimits(Duration backupTimeout, Duration verifyTimeout, int addonBackupsAtOnce, int addonVerificationsAtOnce) {
            this(backupTimeout, verifyTimeout, addonBackupsAtOnce, addonVerificationsAtOnce, Duration.ZERO);
        }

        public boolean verifyInFlight() {
            return !verifyInFlightWait.isZero();
        }
    }

    /**
     * Bounds on the web server's connections, so that slow or numerous connections cannot hold it.
     *
     * @param idleTimeout           a connection with nothing sent or received for this long is closed ({@code AUTOBUS_HTTP_IDLE_TIMEOUT})
     * @param headerTimeout         a request's line and headers must have arrived within this, however they trickle in
     *                              ({@code AUTOBUS_HTTP_HEADER_TIMEOUT}); the idle timeout restarts with every byte
     * @param connectionsPerAddress open connections one client address may hold, 0 for no limit ({@code AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS})
     */
    public record HttpLimits(Duration idleTimeout, Duration headerTimeout, int connectionsPerAddress) {
        /** Off a dyno; on one every connection comes from Heroku's routers, so there is no per-address limit. */
        public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(20), 128);
    }

    public static final String PASSWORD = "AUTOBUS_PASSWORD";
    public static final String SSO_SALT = "AUTOBUS_SSO_SALT";
    public static final String SECRET_KEY = "AUTOBUS_SECRET_KEY";
    /** Not an environment variable: generated once, kept only in the development secrets file. */
    static final String EMBEDDED_DATABASE_PASSWORD = "EMBEDDED_POSTGRES_PASSWORD";

    /** Reads the settings; fails with every problem listed at once. */
    public static Settings fromEnvironment(Map<String, String> env) {
        var reader = new Reader(env);
        Path home = Path.of(reader.text("AUTOBUS_HOME").orElse(".autobus")).toAbsolutePath();
        int port = reader.port("PORT", 5000);
        boolean onDyno = env.containsKey("DYNO");
        var devSecrets = new DevSecrets(home.resolve("dev-secrets.properties"));
        var generated = new ArrayList<String>();

        String password = reader.secret(PASSWORD, onDyno, devSecrets, generated);
        String ssoSalt = reader.secret(SSO_SALT, onDyno, devSecrets, generated);
        byte[] secretKey = reader.key(reader.secret(SECRET_KEY, onDyno, devSecrets, generated));

        int workerThreads = reader.positive("AUTOBUS_WORKER_THREADS", 4);
        var settings = new Settings(
                port,
                reader.text("DATABASE_URL"),
                reader.text("AUTOBUS_ADDON_ID").orElse("autobus"),
                password,
                ssoSalt,
                reader.url("AUTOBUS_PUBLIC_URL", "http://localhost:" + port),
                secretKey,
                reader.url("HEROKU_API_URL", "https://api.heroku.com"),
                reader.url("HEROKU_ID_URL", "https://id.heroku.com"),
                reader.text("HEROKU_OAUTH_SECRET"),
                reader.text("HEROKU_API_KEY"),
                reader.text("AUTOBUS_COLLABORATOR_EMAIL").orElse("heroku@autobus.io"),
                home,
                reader.s3(),
                Path.of(reader.text("AUTOBUS_STORAGE_DIR").orElse(home.resolve("snapshots").toString())).toAbsolutePath(),
                reader.text("VERIFY_POSTGRES_URL"),
                reader.byMajor("VERIFY_POSTGRES_URL_"),
                reader.text("VERIFY_MYSQL_URL"),
                reader.text("SMTP_URL").map(reader::smtpUrl),
                reader.text("AUTOBUS_MAIL_FROM").orElse("Autobus <noreply@autobus.io>"),
                reader.positive("AUTOBUS_API_RATE_LIMIT", 60),
                workerThreads,
                reader.positive("AUTOBUS_COMPRESSION_THREADS", Runtime.getRuntime().availableProcessors()),
                new JobLimits(reader.duration("AUTOBUS_BACKUP_TIMEOUT", JobLimits.DEFAULT.backupTimeout()),
                        reader.duration("AUTOBUS_VERIFY_TIMEOUT", JobLimits.DEFAULT.verifyTimeout()),
                        reader.positive("AUTOBUS_ADDON_BACKUPS_AT_ONCE", JobLimits.DEFAULT.addonBackupsAtOnce()),
                        reader.positive("AUTOBUS_ADDON_VERIFICATIONS_AT_ONCE", JobLimits.DEFAULT.addonVerificationsAtOnce()),
                        reader.onOffOrDuration("AUTOBUS_VERIFY_IN_FLIGHT", JobLimits.IN_FLIGHT_WAIT, JobLimits.DEFAULT.verifyInFlightWait())),
                reader.positive("AUTOBUS_DATABASE_POOL_SIZE", ConnectionBudget.needed(workerThreads)),
                reader.privateNetworks(onDyno),
                new HttpLimits(reader.duration("AUTOBUS_HTTP_IDLE_TIMEOUT", HttpLimits.DEFAULT.idleTimeout()),
                        reader.duration("AUTOBUS_HTTP_HEADER_TIMEOUT", HttpLimits.DEFAULT.headerTimeout()),
                        reader.atLeastZero("AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", onDyno ? 0 : HttpLimits.DEFAULT.connectionsPerAddress())),
                reader.text("DATABASE_URL").isPresent() ? "" : devSecrets.get(EMBEDDED_DATABASE_PASSWORD),
                List.copyOf(generated));
        String tooFewConnections = ConnectionBudget.problem(settings.databasePoolSize(), settings.workerThreads());
        if (tooFewConnections != null) {
            reader.problem(tooFewConnections);
        }
        reader.failIfProblems();
        return settings;
    }

    /** The embedded metadata database is used when no DATABASE_URL is given. */
    public boolean embeddedDatabase() {
        return databaseUrl.isEmpty();
    }

    /** Cookies get the Secure flag whenever the service is reached over HTTPS. */
    public boolean secureCookies() {
        return "https".equals(publicUrl.getScheme());
    }

    @Override
    public String toString() {
        return "Settings[port=" + port + ", embeddedDatabase=" + embeddedDatabase() + ", publicUrl=" + publicUrl
                + ", herokuApiUrl=" + herokuApiUrl + ", herokuIdUrl=" + herokuIdUrl + ", home=" + home
                + ", storage=" + s3.map(Object::toString).orElse(storageDir.toString()) + "]";
    }

    /** Collects problems instead of stopping at the first one. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        Optional<String> text(String name) {
            return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
        }

        /** Every {@code <prefix><major>} set, by major ({@code VERIFY_POSTGRES_URL_16}). */
        Map<Integer, String> byMajor(String prefix) {
            var values = new java.util.TreeMap<Integer, String>();
            for (String name : env.keySet()) {
                if (name.startsWith(prefix) && name.substring(prefix.length()).matches("[1-9][0-9]?")) {
                    text(name).ifPresent(value -> values.put(Integer.parseInt(name.substring(prefix.length())), value));
                }
            }
            return java.util.Collections.unmodifiableMap(values);
        }

        int port(String name, int fallback) {
            var value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(value.get());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a port number (0-65535), got '" + value.get() + "'");
            return fallback;
        }

        void problem(String problem) {
            problems.add(problem);
        }

        int positive(String name, int fallback) {
            var value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int number = Integer.parseInt(value.get());
                if (number > 0) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a whole number above 0, got '" + value.get() + "'");
            return fallback;
        }

        int atLeastZero(String name, int fallback) {
            var value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int number = Integer.parseInt(value.get());
                if (number >= 0) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a whole number, 0 or more, got '" + value.get() + "'");
            return fallback;
        }

        /** {@code deny} on a dyno: customers must not reach our own network; a laptop backs up its local databases. */
        PrivateNetworks privateNetworks(boolean onDyno) {
            var value = text("AUTOBUS_PRIVATE_NETWORKS").map(v -> v.toLowerCase(Locale.ROOT));
            if (value.isEmpty()) {
                return onDyno ? PrivateNetworks.DENY : PrivateNetworks.ALLOW;
            }
            return switch (value.get()) {
                case "allow" -> PrivateNetworks.ALLOW;
                case "deny" -> PrivateNetworks.DENY;
                default -> {
                    problems.add("AUTOBUS_PRIVATE_NETWORKS must be allow or deny, got '" + value.get() + "'");
                    yield PrivateNetworks.DENY;
                }
            };
        }

        /** {@code off} (or unset): zero; {@code on}: {@code on}; else a duration as {@link #duration} reads it. */
        Duration onOffOrDuration(String name, Duration on, Duration unset) {
            var text = text(name);
            if (text.isEmpty()) {
                return unset;
            }
            String value = text.get().strip().toLowerCase(java.util.Locale.ROOT);
            return switch (value) {
                case "off", "false" -> Duration.ZERO;
                case "on", "true" -> on;
                default -> duration(name, Duration.ZERO);
            };
        }

        /** A positive duration in seconds, minutes or hours: {@code 90s}, {@code 30m}, {@code 6h}. */
        Duration duration(String name, Duration fallback) {
            var value = text(name);
            if (value.isEmpty()) {
                return fallback;
            }
            var matcher = java.util.regex.Pattern.compile("([0-9]{1,6})\\s*([smh])").matcher(value.get());
            if (matcher.matches() && Long.parseLong(matcher.group(1)) > 0) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            problems.add(name + " must be a duration such as 90s, 30m or 6h, got '" + value.get() + "'");
            return fallback;
        }

        URI url(String name, String fallback) {
            String value = text(name).orElse(fallback);
            try {
                URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            problems.add(name + " must be an http(s) URL, got '" + value + "'");
            return URI.create(fallback);
        }

        URI smtpUrl(String value) {
            try {
                URI uri = URI.create(value);
                if (("smtp".equals(uri.getScheme()) || "smtps".equals(uri.getScheme())) && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            problems.add("SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465");
            return null;
        }

        Optional<S3Settings> s3() {
            var us = text("S3_BUCKET_US");
            var eu = text("S3_BUCKET_EU");
            if (us.isEmpty() && eu.isEmpty()) {
                return Optional.empty();
            }
            if (us.isEmpty() || eu.isEmpty()) {
                problems.add("set both S3_BUCKET_US and S3_BUCKET_EU: snapshots are stored on the other continent");
                return Optional.empty();
            }
            var endpoint = text("S3_ENDPOINT").map(value -> url("S3_ENDPOINT", value));
            int uploadMemoryMb = positive("AUTOBUS_UPLOAD_MEMORY_MB", S3Settings.UPLOAD_MEMORY_MB);
            if (uploadMemoryMb < S3Settings.UPLOAD_MEMORY_MB) {
                problems.add("AUTOBUS_UPLOAD_MEMORY_MB (" + uploadMemoryMb + ") must be at least " + S3Settings.UPLOAD_MEMORY_MB
                        + ": a snapshot over 140 GB is uploaded in parts of 160 MiB, and one must fit");
            }
            int uploadPartMb = positive("AUTOBUS_UPLOAD_PART_MB", S3Settings.UPLOAD_PART_MB);
            if (uploadPartMb < 5 || uploadPartMb > uploadMemoryMb) {
                problems.add("AUTOBUS_UPLOAD_PART_MB (" + uploadPartMb + ") must be from 5 (S3's smallest part) to AUTOBUS_UPLOAD_MEMORY_MB ("
                        + uploadMemoryMb + "): an upload must find room for one part");
            }
            return Optional.of(new S3Settings(us.get(), text("S3_REGION_US").orElse("us-east-1"), eu.get(),
                    text("S3_REGION_EU").orElse("eu-west-1"), endpoint,
                    text("AWS_ACCESS_KEY_ID"), text("AWS_SECRET_ACCESS_KEY"), uploadMemoryMb, uploadPartMb));
        }

        String secret(String name, boolean onDyno, DevSecrets devSecrets, List<String> generated) {
            var value = text(name);
            if (value.isPresent()) {
                return value.get();
            }
            if (onDyno) {
                problems.add(name + " must be set on Heroku (see README, Configuration)");
                return "";
            }
            generated.add(name);
            return devSecrets.get(name);
        }

        /** 32 bytes, as base64 ({@code openssl rand -base64 32}) or 64 hex digits (app.json's "secret" generator). */
        byte[] key(String value) {
            try {
                byte[] key = value.matches("[0-9a-fA-F]{64}") ? HexFormat.of().parseHex(value) : Base64.getDecoder().decode(value);
                if (key.length == 32) {
                    return key;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            if (!value.isEmpty()) {
                problems.add(SECRET_KEY + " must be 32 random bytes, in base64 or as 64 hex digits (try: openssl rand -base64 32)");
            }
            return new byte[32];
        }

        void failIfProblems() {
            if (!problems.isEmpty()) {
                throw new SettingsException(problems);
            }
        }
    }
}
