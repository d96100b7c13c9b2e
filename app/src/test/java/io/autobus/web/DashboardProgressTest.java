package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.dump.DumpProgress;
import io.autobus.support.DashboardSession;
import io.autobus.support.TestApp;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A running snapshot shows how far it is, as a bar with its percent, data passed, time to go and table; no JavaScript. */
class DashboardProgressTest {
    private final TestApp app = TestApp.shared();
    private final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    private final UUID addonId = app.provisionedAddon("travel");
    private final DashboardSession browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "shop-app");

    @Test
    void the_snapshot_list_and_page_show_a_running_snapshot_s_progress_bar_and_follow_it() {
        String id = running(new DumpProgress.View(400_000, 1_000_000L, "public.orders"));

        String list = browser.page().body();
        String page = browser.get("/dashboard/snapshots/" + id).body();

        for (String html : new String[] {list, page}) {
            assertThat(html).contains("<progress value=\"40\" max=\"100\">40%</progress>")
                    .contains("<b class=\"percent\">40%</b>")
                    .contains("400.0 KB of data")
                    .contains("about 1 min 30 s left")
                    .contains("dumping <code class=\"table\">public.orders</code>")
                    .as("the page refreshes itself while the snapshot runs").contains("<meta http-equiv=\"refresh\"");
        }
    }

    @Test
    void without_an_expected_size_the_bar_is_indeterminate_and_promises_no_time() {
        running(new DumpProgress.View(4096, null, null));

        String list = browser.page().body();

        assertThat(list).contains("<progress title=\"how much is left is not known yet\">running</progress>")
                .contains("4.1 KB of data").doesNotContain("class=\"eta\"").doesNotContain("class=\"percent\"");
    }

    @Test
    void a_table_name_from_the_customer_s_database_is_shown_as_text() {
        running(new DumpProgress.View(1, 10L, "public.\"<script>alert(1)</script>\""));

        String list = browser.page().body();

        assertThat(list).doesNotContain("<script>alert(1)</script>")
                .contains("public.&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    }

    @Test
    void a_completed_snapshot_shows_no_bar() {
        String id = running(new DumpProgress.View(400_000, 1_000_000L, "public.orders"));
        snapshots.complete(id, new SnapshotRepository.Completion("15.4", 2048, "ab".repeat(32), "local", "key", null, null),
                app.clock.instant(), app.clock.instant());

        var page = browser.get("/dashboard/snapshots/" + id);
        assertThat(browser.page().body()).contains(id).doesNotContain("<progress");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("2.0 KB").doesNotContain("<progress").doesNotContain("http-equiv=\"refresh\"");
    }

    /** A snapshot the worker started a minute ago and reported {@code progress} for. */
    private String running(DumpProgress.View progress) {
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addonId, "DATABASE_URL", "postgresql",
                SnapshotKind.MANUAL, null, null, UUID.randomUUID(), app.clock.instant()));
        snapshots.markRunning(id, app.clock.instant().minusSeconds(60));
        snapshots.recordProgress(id, progress);
        return id;
    }
}
