package io.autobus.verify;

import io.autobus.dump.ArchiveHeader;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which installed pg_restore restores an archive into a verification server. It must read the
 * archive (1.14: pg_restore 12+, 1.15: 16+, 1.16: 17+). Among those, the server's own major,
 * else the nearest (newer on a tie); and a pg_restore 17+ against a server ≤ 16 only when nothing
 * else reads the archive: pg_restore 17+ sends {@code SET transaction_timeout = 0}, which a
 * server ≤ 16 refuses; pg_restore goes on and exits 1. Then, and only then, exactly that error is
 * ignored ({@link #onlyTransactionTimeoutFailed}); any other error still fails the restore.
 */
public final class PgRestoreChoice {
    private static final Pattern ERROR_LINE = Pattern.compile("pg_restore: error: .*");
    private static final Pattern IGNORED = Pattern.compile("errors ignored on restore: (\\d+)");
    private static final String TRANSACTION_TIMEOUT = "unrecognized configuration parameter \"transaction_timeout\"";

    private PgRestoreChoice() {
    }

    /** The pg_restore major to run, and whether its {@code transaction_timeout} error is to be ignored. */
    public record Choice(int major, boolean ignoreTransactionTimeout) {
    }

    /** Empty when no installed pg_restore reads {@code archiveVersion}. */
    public static Optional<Choice> choose(String archiveVersion, int serverMajor, Collection<Integer> installed) {
        int oldest = ArchiveHeader.oldestReader(archiveVersion);
        return installed.stream()
                .filter(major -> major >= oldest)
                .min(Comparator.<Integer>comparingInt(major -> sendsTransactionTimeoutTo(major, serverMajor) ? 1 : 0)
                        .thenComparingInt(major -> Math.abs(major - serverMajor))
                        .thenComparing(Comparator.<Integer>reverseOrder()))
                .map(major -> new Choice(major, sendsTransactionTimeoutTo(major, serverMajor)));
    }

    private static boolean sendsTransactionTimeoutTo(int pgRestoreMajor, int serverMajor) {
        return pgRestoreMajor >= 17 && serverMajor <= 16;
    }

    /**
     * True when pg_restore's failure ({@code "pg_restore failed (exit 1): <stderr>"}) holds errors and every one
     * is the server refusing {@code SET transaction_timeout}, and its count of ignored errors is that number.
     */
    public static boolean onlyTransactionTimeoutFailed(String failure) {
        if (failure == null || !failure.contains("(exit 1)")) {
            return false;
        }
        var errors = ERROR_LINE.matcher(failure).results().map(result -> result.group()).toList();
        var ignored = IGNORED.matcher(failure);
        return !errors.isEmpty() && errors.stream().allMatch(line -> line.contains(TRANSACTION_TIMEOUT))
                && ignored.find() && Integer.parseInt(ignored.group(1)) == errors.size();
    }
}
