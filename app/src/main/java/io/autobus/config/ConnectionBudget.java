package io.autobus.config;

/**
 * How many metadata connections a worker process may hold at once, counted from what its jobs
 * hold: a job keeps its lock's connection for as long as it runs (backups, verifications and
 * restores lock through PostgreSQL's advisory locks, held by a session); a backup verified in
 * flight holds its verification's slot on a second (a restore's safety snapshot is such a backup,
 * taken before the restore locks its target); and each job makes short queries on one more. Beside the
 * jobs, the worker bell listens on one connection for ever and JobRunr polls on another.
 * A pool smaller than this lets held locks take every connection, and the queries that would end
 * those jobs wait out the pool's timeout and fail.
 */
public final class ConnectionBudget {
    /** A job's lock, and the slot of the backup's verification in flight. */
    static final int HELD_PER_JOB = 2;
    /** Its own short queries (records, progress). */
    static final int QUERIES_PER_JOB = 1;
    /** The worker bell's LISTEN and JobRunr's polling. */
    static final int PER_PROCESS = 2;

    private ConnectionBudget() {
    }

    /** The pool a process running {@code workerThreads} jobs at once needs. */
    public static int needed(int workerThreads) {
        return PER_PROCESS + workerThreads * (HELD_PER_JOB + QUERIES_PER_JOB);
    }

    /** Why {@code poolSize} is too small, or null when it is enough. */
    static String problem(int poolSize, int workerThreads) {
        int needed = needed(workerThreads);
        if (poolSize >= needed) {
            return null;
        }
        return "AUTOBUS_DATABASE_POOL_SIZE (" + poolSize + ") is too small for AUTOBUS_WORKER_THREADS (" + workerThreads + "): "
                + "a worker needs " + needed + " connections (" + PER_PROCESS + " for the worker bell and JobRunr, and "
                + (HELD_PER_JOB + QUERIES_PER_JOB) + " per job: its lock, the slot of a backup's verification in flight, and its"
                + " queries). Set AUTOBUS_DATABASE_POOL_SIZE to " + needed
                + " or more, or lower AUTOBUS_WORKER_THREADS";
    }
}
