package io.autobus.addon;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The plans Heroku sells, and every limit that depends on the plan. Heroku names a plan
 * either bare ({@code travel}) or with the add-on's id ({@code autobus:travel}). README's plan
 * table states the same (PlanTableTest holds them together).
 *
 * <p>Every limit is enforced where the customer acts, never by leaving something out quietly:
 * a database beyond {@link #databases()} cannot be attached and is shown as not covered; a
 * manual snapshot beyond {@link #manualSnapshots()} is refused, and none is ever pruned (the
 * seed's retention table says Manual: Unlimited).
 *
 * @param databases        how many of the app's databases are backed up
 * @param manualSnapshots  how many manual snapshots the add-on may hold at once; empty: no cap
 * @param monthlySnapshots whether monthly snapshots can be turned on
 */
public enum Plan {
    FREE("free", "free", 1, OptionalInt.of(5), false),
    TRAVEL("travel", "$20/mo", 5, OptionalInt.empty(), true);

    private final String slug;
    private final String price;
    private final int databases;
    private final OptionalInt manualSnapshots;
    private final boolean monthlySnapshots;

    Plan(String slug, String price, int databases, OptionalInt manualSnapshots, boolean monthlySnapshots) {
        this.slug = slug;
        this.price = price;
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

    /** The cheapest plan that covers this many databases, if any does. */
    public static Optional<Plan> covering(int databases) {
        return Arrays.stream(values()).filter(plan -> plan.databases >= databases).findFirst();
    }

    /** The cheapest plan above this one that holds more manual snapshots. */
    public Optional<Plan> withMoreManualSnapshots() {
        return Arrays.stream(values()).filter(plan -> plan.ordinal() > ordinal() && (plan.manualSnapshots.isEmpty()
                || plan.manualSnapshots.getAsInt() > manualSnapshots.orElse(Integer.MAX_VALUE))).findFirst();
    }

    /** The cheapest plan that offers monthly snapshots. */
    public static Plan withMonthlySnapshots() {
        return Arrays.stream(values()).filter(Plan::monthlySnapshots).findFirst().orElseThrow();
    }

    /** How customers upgrade to it. */
    public String upgradeCommand() {
        return "heroku addons:upgrade autobus:" + slug;
    }

    public String slug() {
        return slug;
    }

    public String price() {
        return price;
    }

    public int databases() {
        return databases;
    }

    public OptionalInt manualSnapshots() {
        return manualSnapshots;
    }

    /** {@code up to 5} or {@code unlimited}, for pages. */
    public String manualSnapshotsText() {
        return manualSnapshots.isPresent() ? "up to " + manualSnapshots.getAsInt() : "unlimited";
    }

    public boolean monthlySnapshots() {
        return monthlySnapshots;
    }
}
