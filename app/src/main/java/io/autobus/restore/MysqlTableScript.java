package io.autobus.restore;

import io.autobus.dump.PieceInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chosen tables of a mysqldump/mariadb-dump script, and nothing else: its opening and closing
 * settings, and each chosen table's section (structure, rows, triggers), which the dump writes
 * one after another, each opened by a {@code -- Table structure for table `t`} comment. Views,
 * routines and events are left out. Restored alongside, a table becomes {@code <t><suffix>}, with
 * its foreign keys and triggers renamed the same way (their names are unique per database) and
 * its DROP TABLE left out, so that nothing live is touched and an earlier copy is never
 * overwritten; the rows pass as they are. INSERT lines are the dump's, up to its net buffer
 * length (1 MiB by default), read one at a time.
 */
final class MysqlTableScript extends PieceInputStream {
    private static final String NAME = "`((?:[^`]|``)+)`";
    private static final Pattern SECTION = Pattern.compile("^-- Table structure for table " + NAME);
    private static final Pattern CONSTRAINT = Pattern.compile("^(\\s*CONSTRAINT )" + NAME + "( FOREIGN KEY .* REFERENCES )" + NAME + "(.*)$");
    /** A trigger's statement is the customer's own text (SHOW CREATE TRIGGER): its names quoted or not. */
    private static final String ANY_NAME = "(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)";
    private static final Pattern TRIGGER = Pattern.compile("^(.*\\bTRIGGER )" + ANY_NAME + "( (?:BEFORE|AFTER) (?:INSERT|UPDATE|DELETE) ON )"
            + ANY_NAME + "(.*)$", Pattern.CASE_INSENSITIVE);

    private final BufferedReader script;
    private final Set<String> tables;
    private final String suffix; // null: the tables keep their names (replace)
    private boolean inHeader = true;
    private boolean inChosen;
    private boolean inFooter;
    private String table;

    /** @param suffix appended to the chosen tables' names, their foreign keys' and their triggers'; null to keep them */
    MysqlTableScript(InputStream dump, Set<String> tables, String suffix) {
        this.script = new BufferedReader(new InputStreamReader(dump, StandardCharsets.ISO_8859_1), 64 * 1024);
        // Names as the script's bytes read one to one (ISO-8859-1), whatever their UTF-8 holds.
        var asRead = new HashSet<String>();
        tables.forEach(name -> asRead.add(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));
        this.tables = Set.copyOf(asRead);
        this.suffix = suffix;
    }

    @Override
    protected byte[] nextPiece() throws IOException {
        while (true) {
            String line = script.readLine();
            if (line == null) {
                return null;
            }
            String kept = keep(line);
            if (kept != null) {
                return (kept + "\n").getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** The line as it goes on, or null when it is left out. */
    private String keep(String line) {
        Matcher section = SECTION.matcher(line);
        if (section.find()) {
            inHeader = false;
            table = unquote(section.group(1));
            inChosen = tables.contains(table);
            return inChosen ? line : null;
        }
        if (!inHeader && !inFooter && (line.startsWith("-- Temporary table structure for view") || line.startsWith("-- Temporary view structure")
                || line.startsWith("-- Dumping events") || line.startsWith("-- Dumping routines") || line.startsWith("-- Final view structure"))) {
            inChosen = false;
            return null;
        }
        if (line.startsWith("/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */")) {
            inChosen = false;
            inFooter = true;
        }
        if (inHeader || inFooter) {
            return line;
        }
        if (!inChosen) {
            return null;
        }
        return suffix == null ? line : renamed(line);
    }

    private String renamed(String line) {
        String quoted = quote(table);
        String renamedTable = quote(table + suffix);
        if (line.startsWith("DROP TABLE IF EXISTS " + quoted)) {
            return "-- (the live table's DROP TABLE is left out: restored alongside as " + renamedTable + ")";
        }
        for (String prefix : new String[] {"CREATE TABLE ", "LOCK TABLES ", "INSERT INTO ", "/*!40000 ALTER TABLE "}) {
            if (line.startsWith(prefix + quoted)) {
                return prefix + renamedTable + line.substring(prefix.length() + quoted.length());
            }
        }
        Matcher constraint = CONSTRAINT.matcher(line);
        if (constraint.matches()) {
            String referenced = unquote(constraint.group(4));
            return constraint.group(1) + quote(unquote(constraint.group(2)) + suffix) + constraint.group(3)
                    + quote(tables.contains(referenced) ? referenced + suffix : referenced) + constraint.group(5);
        }
        Matcher trigger = TRIGGER.matcher(line);
        if (trigger.matches() && bare(trigger.group(4)).equals(table)) {
            return trigger.group(1) + quote(bare(trigger.group(2)) + suffix) + trigger.group(3) + renamedTable + trigger.group(5);
        }
        return line;
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A name as written, quoted or not, without its quotes. */
    private static String bare(String written) {
        return written.startsWith("`") ? unquote(written.substring(1, written.length() - 1)) : written;
    }

    private static String unquote(String inner) {
        return inner.replace("``", "`");
    }

    @Override
    public void close() throws IOException {
        script.close();
    }
}
