package io.autobus.jobs;

import java.time.Instant;

/**
 * A run that cannot start now: the add-on's job slots are all taken, or its database is being
 * dumped by another run. Not a failure: the handler postpones the job ({@link JobPostponer}).
 */
public class BusyException extends RuntimeException {
    private final Instant waitingSince;

    /** @param waitingSince when the work was asked for (the snapshot's creation), to space the next tries */
    public BusyException(String message, Instant waitingSince) {
        super(message);
        this.waitingSince = waitingSince;
    }

    public Instant waitingSince() {
        return waitingSince;
    }
}
