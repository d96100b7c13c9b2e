package io.autobus.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * A MySQL 8 dump (JawsDB MySQL, mysqldump 8.0) as a MariaDB verifier accepts it. Applied to the
 * verification stream only, never to the stored file, and only when the snapshot's server is
 * MySQL and the verifier MariaDB. MariaDB runs every {@code /*!NNNNN ...}{@code *}{@code /} comment (its
 * versions, 10.x and up, are above MySQL's 8.0.x), so MySQL 8's versioned syntax reaches its parser. The rules:
 * <ol>
 * <li>{@code utf8mb4_0900_ai_ci} → {@code utf8mb4_uca1400_nopad_ai_ci}, likewise {@code _as_ci}, {@code _as_cs}, and the
 *     language collations ({@code utf8mb4_de_pb_0900_ai_ci} → {@code utf8mb4_uca1400_german2_nopad_ai_ci}; languages
 *     MariaDB has no tailoring for get the root one); {@code utf8mb4_0900_bin} → {@code utf8mb4_nopad_bin}. The same
 *     algorithm (UCA, 14.0 for 9.0) and NO PAD as MySQL's, so values unique there stay unique here ({@code 'a'} and
 *     {@code 'a '} collide under a PAD SPACE collation such as {@code utf8mb4_unicode_520_ci}); MariaDB 11.4.5 made
 *     {@code utf8mb4_0900_ai_ci} an alias of this very collation. Needs MariaDB 10.10 or later.</li>
 * <li>Dropped: {@code SET @@GLOBAL.GTID_PURGED=...;} (it may run over several lines), the
 *     {@code SQL_LOG_BIN} save/set/restore lines (both need privileges the scratch user lacks), and the
 *     {@code /*!80002 ANALYZE TABLE ... UPDATE HISTOGRAM ...} column statistics.</li>
 * <li>Removed from a line: {@code /*!80016 DEFAULT ENCRYPTION='N' *}{@code /},
 *     {@code /*!80003 SRID n *}{@code /} (MariaDB's syntax differs), {@code /*!80000 INVISIBLE *}{@code /} on an index
 *     (MariaDB's word is IGNORED; a visible index restores the same rows), and {@code TIME_TRUNCATE_FRACTIONAL} from a
 *     {@code sql_mode} (a MySQL-only mode).</li>
 * <li>{@code CONSTRAINT `c` CHECK (...) /*!80016 NOT ENFORCED *}{@code /} → {@code CONSTRAINT `c` CHECK (1)}: MariaDB
 *     enforces every check, and rows MySQL kept under an unenforced one would be refused. The named constraint stays.</li>
 * <li>{@code ENCRYPTION='Y'} leaves the table options (InnoDB tablespace encryption under a MySQL keyring; MariaDB's
 *     option is {@code ENCRYPTED=YES} and needs a key plugin the verifier does not have).</li>
 * </ol>
 * Lines are streamed: an {@code INSERT} and any line longer than {@link #LINE_LIMIT} pass through as they are (data is
 * never rewritten), only shorter statement lines are held while the rules run.
 */
final class Mysql8ForMariadb extends InputStream {
    static final int LINE_LIMIT = 1 << 20;
    private static final byte[] INSERT = "INSERT ".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern COLLATION = Pattern.compile("\\butf8mb4_(?:([a-z_]+?)_)?0900_(ai_ci|as_ci|as_cs|bin)\\b");
    /** MySQL's language codes with the name MariaDB's UCA 14.0 collations use for the same tailoring. */
    private static final Map<String, String> LANGUAGES = Map.ofEntries(Map.entry("de_pb", "german2"), Map.entry("is", "icelandic"),
            Map.entry("lv", "latvian"), Map.entry("ro", "romanian"), Map.entry("sl", "slovenian"), Map.entry("pl", "polish"),
            Map.entry("et", "estonian"), Map.entry("es", "spanish"), Map.entry("sv", "swedish"), Map.entry("tr", "turkish"),
            Map.entry("cs", "czech"), Map.entry("da", "danish"), Map.entry("lt", "lithuanian"), Map.entry("sk", "slovak"),
            Map.entry("es_trad", "spanish2"), Map.entry("la", "roman"), Map.entry("eo", "esperanto"), Map.entry("hu", "hungarian"),
            Map.entry("hr", "croatian"), Map.entry("vi", "vietnamese"));
    private static final Pattern DROPPED_LINE = Pattern.compile(
            "^(?:SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION\\.SQL_LOG_BIN;|SET @@SESSION\\.SQL_LOG_BIN\\s*=.*|/\\*!80002 ANALYZE TABLE .*)\\r?\\n?$");
    private static final String GTID_PURGED = "SET @@GLOBAL.GTID_PURGED=";
    private static final Pattern REMOVED = Pattern.compile(
            "\\s?/\\*!80016 DEFAULT ENCRYPTION='[NY]' \\*/|\\s?/\\*!80003 SRID \\d+ \\*/|\\s?/\\*!80000 INVISIBLE \\*/");
    private static final Pattern NOT_ENFORCED_CHECK = Pattern.compile(
            "^(\\s*CONSTRAINT\\s+`(?:[^`]|``)+`\\s+CHECK\\s+).*\\s/\\*!80016 NOT ENFORCED \\*/(,?\\r?\\n?)$");
    private static final Pattern TABLE_ENCRYPTION = Pattern.compile("\\sENCRYPTION='[YN]'");
    private static final Pattern TIME_TRUNCATE_FRACTIONAL = Pattern.compile(",?TIME_TRUNCATE_FRACTIONAL,?");

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private byte[] out = new byte[0];
    private int outPosition;
    private boolean passing; // the rest of this line streams through as is
    private boolean inGtidPurged; // dropping a statement until its ';'

    Mysql8ForMariadb(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (outPosition == out.length) {
            if (start == end && !fill()) {
                if (line.size() == 0) {
                    return -1;
                }
                emit(rewrite(line.toString(StandardCharsets.ISO_8859_1))); // the last line has no line break
                line.reset();
                continue;
            }
            if (passing) {
                int newline = indexOfNewline();
                int stop = newline < 0 ? end : newline + 1;
                int n = Math.min(length, stop - start);
                System.arraycopy(buffer, start, target, offset, n);
                start += n;
                passing = !(newline >= 0 && start == newline + 1);
                return n;
            }
            collect();
        }
        int n = Math.min(length, out.length - outPosition);
        System.arraycopy(out, outPosition, target, offset, n);
        outPosition += n;
        return n;
    }

    /** Adds buffered bytes to the line being collected; emits it once whole, or lets it pass when it cannot need a rule. */
    private void collect() {
        int newline = indexOfNewline();
        int stop = newline < 0 ? end : newline + 1;
        line.write(buffer, start, stop - start);
        start = stop;
        byte[] head = line.size() >= INSERT.length ? Arrays.copyOf(line.toByteArray(), INSERT.length) : null;
        if (newline >= 0) {
            emit(rewrite(line.toString(StandardCharsets.ISO_8859_1)));
            line.reset();
        } else if (!inGtidPurged && (line.size() > LINE_LIMIT || Arrays.equals(head, INSERT))) {
            emit(line.toString(StandardCharsets.ISO_8859_1));
            line.reset();
            passing = true;
        }
    }

    /** The line as MariaDB takes it, or null to drop it. */
    String rewrite(String text) {
        if (inGtidPurged || text.startsWith(GTID_PURGED)) {
            inGtidPurged = !text.stripTrailing().endsWith(";");
            return null;
        }
        if (DROPPED_LINE.matcher(text).matches()) {
            return null;
        }
        String rewritten = REMOVED.matcher(text).replaceAll("");
        if (rewritten.contains("NOT ENFORCED")) {
            rewritten = NOT_ENFORCED_CHECK.matcher(rewritten).replaceFirst("$1(1)$2");
        }
        if (rewritten.startsWith(") ENGINE=") && rewritten.contains("ENCRYPTION=")) {
            rewritten = TABLE_ENCRYPTION.matcher(rewritten).replaceAll("");
        }
        if (rewritten.contains("TIME_TRUNCATE_FRACTIONAL") && rewritten.contains("sql_mode")) {
            rewritten = TIME_TRUNCATE_FRACTIONAL.matcher(rewritten).replaceAll(m -> m.group().startsWith(",") && m.group().endsWith(",") ? "," : "");
        }
        return rewritten.contains("0900_") ? COLLATION.matcher(rewritten).replaceAll(Mysql8ForMariadb::collation) : rewritten;
    }

    private static String collation(MatchResult match) {
        if ("bin".equals(match.group(2))) {
            return "utf8mb4_nopad_bin";
        }
        String language = match.group(1) == null ? null : LANGUAGES.get(match.group(1));
        return "utf8mb4_uca1400_" + (language == null ? "" : language + "_") + "nopad_" + match.group(2);
    }

    private void emit(String text) {
        out = text == null ? new byte[0] : text.getBytes(StandardCharsets.ISO_8859_1);
        outPosition = 0;
    }

    private int indexOfNewline() {
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        start = 0;
        end = Math.max(n, 0);
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
