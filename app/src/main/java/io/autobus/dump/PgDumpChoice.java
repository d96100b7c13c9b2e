package io.autobus.dump;

import java.util.Collection;
import java.util.Comparator;

/**
 * Which pg_dump dumps a server: the one of the server's own major version, so the archive is
 * the version that server's own pg_restore reads (pg_dump 12–15 write archive 1.14, 16 writes
 * 1.15, 17 and 18 write 1.16, and pg_restore refuses archives newer than itself). When that one
 * is not installed, the nearest newer one (pg_dump reads older servers, never newer ones), and
 * the snapshot says why. None newer or equal: the snapshot fails at once naming the package.
 */
public final class PgDumpChoice {
    private PgDumpChoice() {
    }

    /** The chosen pg_dump's major, and why when it is not the server's own (null when it is). */
    public record Choice(int major, String note) {
    }

    /**
     * @param serverMajor the server's major version (e.g. 14)
     * @param installed   the majors of the installed pg_dumps
     * @throws DumpException when every installed pg_dump is older than the server, or none is installed
     */
    public static Choice choose(int serverMajor, Collection<Integer> installed) {
        if (installed.contains(serverMajor)) {
            return new Choice(serverMajor, null);
        }
        var newer = installed.stream().filter(major -> major > serverMajor).min(Comparator.naturalOrder());
        if (newer.isPresent()) {
            int major = newer.get();
            return new Choice(major, "pg_dump " + serverMajor + " is not installed here; pg_dump " + major
                    + " is the nearest newer one (pg_dump cannot dump a server newer than itself), so restoring needs pg_restore "
                    + major + " or newer (postgresql-client-" + major + ")");
        }
        if (installed.isEmpty()) {
            throw new DumpException("pg_dump is not installed on this machine (install postgresql-client-" + serverMajor
                    + "; on Heroku it comes from the Aptfile)");
        }
        int newest = installed.stream().max(Comparator.naturalOrder()).orElseThrow();
        throw new DumpException("pg_dump " + newest + " cannot dump this PostgreSQL " + serverMajor
                + " server (pg_dump refuses servers newer than itself). Install postgresql-client-" + serverMajor
                + " (on Heroku, in the Aptfile).");
    }
}
