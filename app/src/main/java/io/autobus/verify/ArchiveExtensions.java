package io.autobus.verify;

import io.autobus.dump.ToolPipeline;
import io.autobus.dump.ToolRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The extensions a {@code pg_dump -Fc} archive creates, read from its table of contents (which
 * comes first in the file, so only its head is read), and the restore list that leaves them,
 * their comments and the schemas made for them to the verifier. A scratch role may not create
 * most extensions, and must not run an extension's script in a schema it could have prepared.
 */
final class ArchiveExtensions {
    /** Extensions Heroku Postgres offers that do not reach other servers (dblink and postgres_fdw do). */
    static final Set<String> ALLOWED = Set.of("address_standardizer", "address_standardizer_data_us", "amcheck", "autoinc",
            "bloom", "btree_gin", "btree_gist", "citext", "cube", "dict_int", "dict_xsyn", "earthdistance", "fuzzystrmatch",
            "hstore", "hypopg", "insert_username", "intagg", "intarray", "ip4r", "isn", "lo", "ltree", "moddatetime",
            "pg_partman", "pg_stat_statements", "pg_trgm", "pgcrypto", "pgrouting", "pgrowlocks", "pgstattuple", "plpgsql",
            "postgis", "postgis_raster", "postgis_sfcgal", "postgis_tiger_geocoder", "postgis_topology", "refint", "seg",
            "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "vector");

    private static final int MAX_LIST_BYTES = 64 * 1024 * 1024;
    /** A line of {@code pg_restore --list}: {@code dumpId; tableoid oid DESC NAMESPACE TAG OWNER}. */
    private static final Pattern ENTRY = Pattern.compile("^(\\d+); \\d+ \\d+ (.+)$");
    /** As pg_dump writes it: {@code CREATE EXTENSION IF NOT EXISTS name WITH SCHEMA schema;}, identifiers quoted when needed. */
    private static final Pattern CREATE = Pattern.compile(
            "^CREATE EXTENSION IF NOT EXISTS (\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$-]*) WITH SCHEMA (\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*);$");

    record Extension(String name, String schema) {
    }

    /**
     * @param extensions  what the archive creates, in order
     * @param restoreList the archive's list without them, their comments and their schemas' entries; null when there are none
     */
    record Plan(List<Extension> extensions, String restoreList) {
        List<String> disallowed() {
            return extensions.stream().map(Extension::name).filter(name -> !ALLOWED.contains(name)).toList();
        }
    }

    private ArchiveExtensions() {
    }

    /** Reads the head of the archive twice at most (its list, then its extensions' statements). */
    static Plan read(Path pgRestore, Supplier<InputStream> archive, ToolRun run) {
        String list = output(pgRestore, archive, run, List.of("--list"));
        var extensionIds = new ArrayList<String>();
        for (String line : list.lines().toList()) {
            Matcher entry = ENTRY.matcher(line);
            if (entry.matches() && entry.group(2).startsWith("EXTENSION - ")) {
                extensionIds.add(entry.group(1));
            }
        }
        if (extensionIds.isEmpty()) {
            return new Plan(List.of(), null);
        }
        Path only = run.writePrivateFile("extensions.list",
                extensionIds.stream().map(id -> id + ";\n").collect(Collectors.joining()));
        String sql = output(pgRestore, archive, run, List.of("--file=-", "--use-list=" + only));
        var extensions = new LinkedHashMap<String, Extension>();
        for (String line : sql.lines().toList()) {
            Matcher create = CREATE.matcher(line);
            if (create.matches()) {
                var extension = new Extension(unquote(create.group(1)), unquote(create.group(2)));
                extensions.put(extension.name(), extension);
            }
        }
        return new Plan(List.copyOf(extensions.values()), restoreList(list, extensions));
    }

    /** The list with the entries the verifier takes care of commented out. */
    private static String restoreList(String list, Map<String, Extension> extensions) {
        var schemas = extensions.values().stream().map(Extension::schema).collect(Collectors.toSet());
        var kept = new StringBuilder();
        for (String line : list.lines().toList()) {
            Matcher entry = ENTRY.matcher(line);
            boolean skip = entry.matches() && (entry.group(2).startsWith("EXTENSION - ")
                    || entry.group(2).startsWith("COMMENT - EXTENSION ")
                    || entry.group(2).startsWith("SCHEMA - ") && schemas.stream().anyMatch(
                            schema -> entry.group(2).startsWith("SCHEMA - " + schema + " ")));
            kept.append(skip ? ";" : "").append(line).append('\n');
        }
        return kept.toString();
    }

    private static String output(Path pgRestore, Supplier<InputStream> archive, ToolRun run, List<String> options) {
        var command = new ArrayList<String>();
        command.add(pgRestore.toString());
        command.addAll(options);
        try (var pipeline = ToolPipeline.start(List.of(run.apply(new ProcessBuilder(command), Map.of())), null)) {
            var feeding = new StdinFeeder(pipeline, archive::get);
            byte[] bytes = pipeline.output().readNBytes(MAX_LIST_BYTES + 1);
            if (bytes.length > MAX_LIST_BYTES) {
                throw new IllegalStateException("the archive's table of contents is larger than " + MAX_LIST_BYTES + " bytes");
            }
            feeding.await();
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive's table of contents: " + e.getMessage(), e);
        }
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"") : identifier;
    }
}
