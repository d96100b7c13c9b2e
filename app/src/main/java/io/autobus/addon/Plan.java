package io.autobus.addon;

import java.util.Arrays;
import java.util.Optional;

/**
 * The plans Heroku sells, and every limit that depends on the plan. Heroku names a plan
 * either bare ({@code travel}) or with the add-on's id ({@code autobus:travel}).
 *
 * @param databases        how many of the app's databases are backed up
 * @param manualSnapshots  how many manual snapshots are kept
 * @param monthlySnapshots whether monthly snapshots can be turned on
 * @param queuedSnapshots  manual snapshots the add-on may have waiting or running at once, across its databases
 *                         (and never two of one database). Each is a whole dump on our workers and one
 *                         backup of an add-on runs at a time, so a longer queue only waits longer: free
 *                         covers one database, so two (it and one more, say staging's); travel covers five,
 *                         so all five at once before a deploy, and as many again for databases it does
 *                         not schedule. Scheduled snapshots are bounded by the dispatcher (one per database a day).
 */
public enum Plan {
    FREE("free", 1, 5, false, 2),
    TRAVEL("travel", 5, 100, true, 10);

    private final String slug;
    private final int databases;
    private final int manualSnapshots;
    private final boolean monthlySnapshots;
    private final int queuedSnapshots;

    Plan(String slug, int databases, int manualSnapshots, boolean monthlySnapshots, int queuedSnapshots) {
        this.slug = slug;
        this.databases = databases;
        this.manualSnapshots = manualSnapshots;
        this.monthlySnapshots = monthlySnapshots;
        this.queuedSnapshots = queuedSnapshots;
    }

    public static Optional<Plan> named(String name) {
        String slug = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
        return Arrays.stream(values()).filter(plan -> plan.slug.equals(slug)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Plan::slug).toList());
    }

    public String slug() {
        return slug;
    }

    public int databases() {
        return databases;
    }

    public int manualSnapshots() {
        return manualSnapshots;
    }

    public boolean monthlySnapshots() {
        return monthlySnapshots;
    }

    public int queuedSnapshots() {
        return queuedSnapshots;
    }
}
