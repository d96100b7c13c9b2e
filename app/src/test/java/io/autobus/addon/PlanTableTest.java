package io.autobus.addon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's plan table is what the code enforces: one row per plan, the same limits. */
class PlanTableTest {

    @Test
    void readme_states_every_plan_with_the_limits_the_code_enforces() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("<!-- plan-table"), readme.indexOf("<!-- /plan-table -->"));
        List<String> rows = table.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| Plan")).toList();

        assertThat(rows).containsExactlyElementsOf(Arrays.stream(Plan.values())
                .map(plan -> "| " + plan.slug() + " | " + plan.price() + " | " + plan.databases() + " | " + plan.manualSnapshotsText()
                        + " | " + (plan.monthlySnapshots() ? "yes" : "no") + " |")
                .toList());
    }
}
