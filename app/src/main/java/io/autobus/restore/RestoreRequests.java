package io.autobus.restore;

import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.backup.BackupTargets;
import io.autobus.backup.RestoreCommands;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpException;
import io.autobus.jobs.WorkerBell;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jobrunr.scheduling.JobRequestScheduler;

/**
 * A restore asked for (API, dashboard, CLI): checked whole before anything runs — the snapshot,
 * the target read fresh from the app (of the snapshot's engine), the tables (named as the
 * snapshot names them), the app's name as confirmation for what overwrites live data — then
 * recorded pending and queued. One restore per target at a time.
 */
public final class RestoreRequests {
    private static final Pattern CONFIG_VAR = Pattern.compile("[A-Z][A-Z0-9_]{0,254}");
    private static final int MAX_TABLES = 200;

    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final RestoreRepository restores;
    private final BackupTargets targets;
    private final JobRequestScheduler jobs;
    private final WorkerBell bell;
    private final Duration abandonedAfter;
    private final Clock clock;

    /**
     * @param backupTimeout {@code AUTOBUS_BACKUP_TIMEOUT}: a restore (and its safety snapshot) is stopped after it, so one
     *                      still in progress after twice that and a margin was left by a worker that stopped
     */
    public RestoreRequests(AddonRepository addons, SnapshotRepository snapshots, RestoreRepository restores, BackupTargets targets,
                           JobRequestScheduler jobs, WorkerBell bell, Duration backupTimeout, Clock clock) {
        this.addons = addons;
        this.snapshots = snapshots;
        this.restores = restores;
        this.targets = targets;
        this.jobs = jobs;
        this.bell = bell;
        this.abandonedAfter = backupTimeout.multipliedBy(2).plusMinutes(10);
        this.clock = clock;
    }

    /**
     * What was asked.
     *
     * @param target        a config var of the app; null for the snapshot's own database
     * @param tables        empty for the whole snapshot
     * @param mode          for chosen tables: alongside (null too) or replace
     * @param snapshotFirst null for yes
     */
    public record Request(String target, List<String> tables, String mode, String confirm, Boolean snapshotFirst) {
    }

    /** Why a restore was refused, with the HTTP status that says so. */
    public static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Why Autobus does not restore a snapshot encrypted to the customer's key, and how they do it themselves. */
    public static String encryptedRefusal(Snapshot snapshot) {
        return "Snapshot " + snapshot.id() + " is encrypted with your key; Autobus cannot read it. Restore it yourself: download "
                + snapshot.fileName() + ", then run: " + RestoreCommands.yourself(snapshot, null, null);
    }

    /** @return the queued restore */
    public Restore request(UUID addonId, String snapshotId, Request request) {
        Addon addon = addons.find(addonId).orElseThrow(() -> new Refused(404, "No such add-on."));
        Snapshot snapshot = snapshots.find(snapshotId).filter(s -> s.addonId().equals(addonId))
                .orElseThrow(() -> new Refused(404, "No snapshot " + snapshotId + "."));
        if (snapshot.status() != SnapshotStatus.COMPLETED) {
            throw new Refused(422, "Snapshot " + snapshot.id() + " is " + snapshot.state() + ": there is nothing to restore.");
        }
        if (snapshot.encrypted()) {
            // We never hold the customer's private key, not even for one restore (docs/SECURITY.md).
            throw new Refused(422, encryptedRefusal(snapshot));
        }
        String target = request.target() == null || request.target().isBlank() ? snapshot.configVar() : request.target().strip();
        if (!CONFIG_VAR.matcher(target).matches()) {
            throw new Refused(422, "target must be one of the app's config vars, like DATABASE_URL.");
        }
        List<String> tables = tables(snapshot, request.tables());
        RestoreMode mode = mode(tables, request.mode());
        String appName = addon.appName() != null ? addon.appName() : target;
        if (mode.overwrites() && !appName.equals(request.confirm())) {
            throw new Refused(400, (mode == RestoreMode.WHOLE ? "Restoring the whole snapshot overwrites " : "Replacing tables overwrites them in ")
                    + target + (addon.appName() != null ? " of " + addon.appName() : "") + ". To proceed, send \"confirm\": \""
                    + appName + "\".");
        }
        BackupTargets.Target resolved;
        try {
            resolved = targets.resolve(addon, target);
        } catch (DumpException e) {
            throw new Refused(422, "Cannot restore into " + target + ": " + e.getMessage() + ".");
        }
        if (DatabaseUrl.Engine.of(resolved.engine()) != DatabaseUrl.Engine.of(snapshot.engine())) {
            String kind = RestoreRunner.engineName(snapshot);
            throw new Refused(422, "Snapshot " + snapshot.id() + " holds a " + kind + " dump, and " + target + " is not a " + kind + " database.");
        }
        String id = SnapshotKeys.newId();
        UUID jobId = UUID.randomUUID();
        boolean snapshotFirst = request.snapshotFirst() == null || request.snapshotFirst();
        var created = new RestoreRepository.NewRestore(id, addonId, snapshot.id(), target, mode, tables, snapshotFirst, jobId, clock.instant());
        if (!restores.create(created)) {
            var running = restores.inProgress(addonId, target);
            if (running.isEmpty() || !abandoned(running.get()) || !restores.create(created)) {
                throw new Refused(409, "A restore into " + target + " is already waiting or running (restore "
                        + running.map(Restore::id).orElse("?") + "); start another when it has finished.");
            }
        }
        try {
            jobs.enqueue(jobId, new RestoreJob(id));
        } catch (RuntimeException e) {
            restores.finish(id, List.of(), null, "the restore could not be queued: " + e.getMessage(), clock.instant());
            throw e;
        }
        bell.ring();
        return restores.find(id).orElseThrow();
    }

    /** Still in progress long after any run would have been stopped: its worker died. Marked failed, so the target is free. */
    private boolean abandoned(Restore running) {
        Instant since = running.startedAt() != null ? running.startedAt() : running.createdAt();
        if (since.isAfter(clock.instant().minus(abandonedAfter))) {
            return false;
        }
        restores.finish(running.id(), running.result(), running.restoredInto(), "the restore was abandoned: its worker stopped before it"
                + " ended (nothing says how far it got; check " + running.target() + ")", clock.instant());
        return true;
    }

    /** The chosen tables under the snapshot's names ({@code orders} finds {@code public.orders} when only one schema has it). */
    private List<String> tables(Snapshot snapshot, List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return List.of();
        }
        if (asked.size() > MAX_TABLES) {
            throw new Refused(422, "At most " + MAX_TABLES + " tables can be restored at once; restore the whole snapshot instead.");
        }
        var names = snapshots.tables(snapshot.id()).stream().map(TableStatistics::name).toList();
        var chosen = new LinkedHashSet<String>();
        for (String name : asked) {
            if (name == null || name.isBlank()) {
                throw new Refused(422, "A table name is empty.");
            }
            chosen.add(find(snapshot, names, name.strip()));
        }
        return List.copyOf(chosen);
    }

    private static String find(Snapshot snapshot, List<String> names, String asked) {
        if (names.contains(asked)) {
            return asked;
        }
        var bare = names.stream().filter(name -> name.substring(name.indexOf('.') + 1).equals(asked)).toList();
        if (bare.size() == 1 && !asked.contains(".")) {
            return bare.getFirst();
        }
        if (bare.size() > 1 && !asked.contains(".")) {
            throw new Refused(422, "Table " + asked + " is in several schemas of snapshot " + snapshot.id() + ": name one of "
                    + String.join(", ", bare) + ".");
        }
        var closest = names.stream().sorted(Comparator.comparingInt(name -> distance(name.toLowerCase(Locale.ROOT),
                asked.toLowerCase(Locale.ROOT)))).limit(3).toList();
        throw new Refused(422, "Snapshot " + snapshot.id() + " has no table " + asked + "."
                + (closest.isEmpty() ? " It has no tables." : " Closest: " + String.join(", ", closest) + "."));
    }

    private static RestoreMode mode(List<String> tables, String mode) {
        if (tables.isEmpty()) {
            if (mode != null && !mode.isBlank() && !mode.equals("whole")) {
                throw new Refused(422, "mode " + mode + " is for chosen tables: name them in \"tables\", or leave mode out to restore"
                        + " the whole snapshot.");
            }
            return RestoreMode.WHOLE;
        }
        if (mode == null || mode.isBlank() || mode.equals("alongside")) {
            return RestoreMode.ALONGSIDE;
        }
        if (mode.equals("replace")) {
            return RestoreMode.REPLACE;
        }
        throw new Refused(422, "mode must be \"alongside\" (the default: beside the live tables) or \"replace\".");
    }

    /** Levenshtein distance: how far a mistyped name is from each real one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
