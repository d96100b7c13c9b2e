package io.autobus.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** What one benchmark run measured, kept as numbers until {@link Report} writes them down. */
final class Results {
    private Results() {
    }

    /** A named set of databases benchmarked by one fresh service process. */
    record Group(String name, List<DataSet> dataSets) {
    }

    /**
     * One backup of one database, side by side with what a user would type.
     *
     * @param autobusSeconds from {@code POST /api/snapshots} to {@code check_snapshot} saying completed
     * @param dumpSeconds    the part of it the worker spent dumping and storing ({@code duration_ms})
     * @param peakRssKb      the service's highest resident memory while the backup ran
     * @param restoreSeconds plain restore of the downloaded snapshot into an empty database
     * @param serviceRestoreSeconds the service's whole restore of the snapshot into an empty database, request to completed
     */
    record Backup(DataSet data, double plainSeconds, long plainBytes, double autobusSeconds, double dumpSeconds,
                  long autobusBytes, long peakRssKb, double verifySeconds, String verdict, double restoreSeconds,
                  double serviceRestoreSeconds) {
    }

    record GroupResult(Group group, Map<DataSet, Long> sizes, List<Backup> backups) {
        List<Backup> of(DataSet data) {
            return backups.stream().filter(b -> b.data().equals(data)).toList();
        }
    }

    /** {@code GET /api/snapshots} under wrk. */
    record Api(int snapshots, int pageSize, int connections, int seconds, double requestsPerSecond, double p50Ms,
               double p90Ms, double p99Ms, double maxMs, long requests, long errors) {
    }

    /** Provisioning through the partner API, then the dispatcher giving every add-on its schedule. */
    record Provisioning(int addons, int clients, double seconds, double p50Ms, double p99Ms, double maxMs, int errors,
                        List<long[]> residentKbByCount, long scheduled, double scheduledSecondsAfterLast) {
    }

    static double median(List<Backup> backups, ToDoubleFunction<Backup> value) {
        double[] values = backups.stream().mapToDouble(value).sorted().toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /** The value below which {@code fraction} of the sorted samples lie (nearest rank). */
    static double percentile(long[] sortedNanos, double fraction) {
        int rank = (int) Math.ceil(fraction * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
