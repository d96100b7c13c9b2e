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
 */
public enum Plan {
    FREE("free", 1, 5, false),
    TRAVEL("travel", 5, 100, true);

    private final String slug;
    private final int databases;
    private final int manualSnapshots;
    private final boolean monthlySnapshots;

    Plan(String slug, int databases, int manualSnapshots, boolean monthlySnapshots) {
        this.slug = slug;
        this.databases = databases;
        this.manualSnapshots = manualSnapshots;
        this.monthlySnapshots = monthlySnapshots;
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
}
