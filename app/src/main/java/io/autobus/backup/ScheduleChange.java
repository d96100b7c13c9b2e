package io.autobus.backup;

/**
 * A change of the schedule as a client asks for it: a null field keeps its current value.
 *
 * @param hour      0-23, in the add-on's time zone
 * @param zone      e.g. {@code Europe/Berlin}
 * @param weeklyDay e.g. {@code sunday}
 * @param monthly   keep the run on the 1st as Monthly (only on plans that have monthly snapshots)
 */
public record ScheduleChange(Integer hour, String zone, String weeklyDay, Boolean monthly) {

    public boolean isEmpty() {
        return hour == null && zone == null && weeklyDay == null && monthly == null;
    }
}
