package io.autobus.addon;

import java.util.List;

/**
 * Which of an add-on's databases its plan backs up: the first {@link Plan#databases()} in the
 * add-on's order (DATABASE_URL, the app's primary, then as they first appeared), so a database
 * added later never moves an earlier one out. The others are listed as not covered, never
 * skipped without a word.
 */
public record PlanCoverage(Plan plan, List<FoundDatabase> covered, List<FoundDatabase> notCovered) {

    /** @param databases in the add-on's order, as {@link AddonRepository#databases} gives them */
    public static PlanCoverage of(Plan plan, List<FoundDatabase> databases) {
        int covered = Math.min(plan.databases(), databases.size());
        return new PlanCoverage(plan, List.copyOf(databases.subList(0, covered)),
                List.copyOf(databases.subList(covered, databases.size())));
    }

    public boolean covers(String configVar) {
        return covered.stream().anyMatch(db -> db.configVar().equals(configVar));
    }

    /** Why a database is not backed up, and how to change that. */
    public String whyNotCovered(String configVar) {
        String upgrade = Plan.covering(covered.size() + notCovered.size())
                .or(() -> Plan.covering(plan.databases() + 1))
                .map(bigger -> " Upgrade to " + bigger.slug() + " (" + bigger.databases() + " databases) to back it up: "
                        + bigger.upgradeCommand() + ".")
                .orElse("");
        return configVar + " is not covered by your plan: the " + plan.slug() + " plan backs up " + databases(plan.databases())
                + " (" + String.join(", ", covered.stream().map(FoundDatabase::configVar).toList()) + ")." + upgrade;
    }

    static String databases(int count) {
        return count == 1 ? "1 database" : count + " databases";
    }
}
