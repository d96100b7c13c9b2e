package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.AddonRepository;
import io.autobus.api.ApiTokens;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.ForeignKeys.ForeignKey;
import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Dump options that leave out rows other tables' foreign keys need are refused, naming the keys, on a real database. */
class ExcludedDataCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final UUID addonId = UUID.randomUUID();
    private final DashboardSession browser;

    ExcludedDataCheckTest() {
        HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId);
        browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app");
    }

    @Test
    void leaving_out_a_referenced_table_s_data_on_the_dashboard_is_refused_naming_the_foreign_key_and_what_to_do() throws Exception {
        String source = TestDatabase.create("fkeys");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id int PRIMARY KEY)");
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int CONSTRAINT orders_customer_fk REFERENCES customers)");
            statement.execute("CREATE TABLE audit_log (id int PRIMARY KEY)");
        }
        attach("MAIN", source);

        var refused = options(Map.of("database", "MAIN_URL", "exclude_table_data", "customers, audit_log"));
        var bothLeftOut = options(Map.of("database", "MAIN_URL", "exclude_table_data", "customers orders"));
        var unreferenced = options(Map.of("database", "MAIN_URL", "exclude_table_data", "audit_log"));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(org.unbescape.html.HtmlEscape.unescapeHtml(refused.body()))
                .contains("orders_customer_fk (public.orders → public.customers)")
                .contains("Also leave out the data of public.orders").contains("drop the option for public.customers");
        assertThat(bothLeftOut.statusCode()).as(bothLeftOut.body()).isEqualTo(302);
        assertThat(unreferenced.statusCode()).as(unreferenced.body()).isEqualTo(302);
        assertThat(storedOptions("MAIN_URL").excludeTableData()).containsExactly("audit_log");
    }

    @Test
    void the_api_refuses_to_leave_out_a_referenced_table_and_changes_nothing_else() throws Exception {
        String source = TestDatabase.create("fkeys_api");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE accounts (id int PRIMARY KEY)");
            statement.execute("CREATE TABLE invoices (id int PRIMARY KEY, account_id int REFERENCES accounts)");
        }
        attach("DATABASE", source);
        String token = new ApiTokens(app.db).enable(addonId, true).orElseThrow();

        var response = app.http.send("PATCH", "/api/settings", "{\"backup_hour\": 7, \"database\": \"DATABASE_URL\", \"exclude_tables\": [\"accounts\"]}",
                Map.of("Authorization", "Bearer " + token));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).path("message").asText())
                .contains("Leaving out public.accounts would break this foreign key: invoices_account_id_fkey (public.invoices → public.accounts)")
                .contains("exclude_tables");
        assertThat(storedOptions("DATABASE_URL").excludeTables()).isEmpty();
        assertThat(new ScheduleRepository(app.db).schedule(addonId).map(BackupSchedule::hour)).isNotEqualTo(java.util.Optional.of(7));
    }

    @Test
    void a_mariadb_database_s_foreign_keys_are_checked_too() throws Exception {
        String source = SourceDatabases.createMariadb("fkeys");
        try (var connection = SourceDatabases.mariadb(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE parents (id INT PRIMARY KEY) ENGINE=InnoDB");
            statement.execute("CREATE TABLE children (id INT PRIMARY KEY, parent_id INT, CONSTRAINT children_parent FOREIGN KEY (parent_id) "
                    + "REFERENCES parents (id)) ENGINE=InnoDB");
        }
        attach("JAWSDB", "mysql://root@127.0.0.1:3306/" + source);

        var refused = options(Map.of("database", "JAWSDB_URL", "exclude_table_data", "parents"));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(org.unbescape.html.HtmlEscape.unescapeHtml(refused.body())).contains("children_parent (children → parents)");
    }

    @Test
    void only_keys_whose_rows_stay_while_their_target_goes_are_broken() {
        var orders = new ForeignKey("orders_fk", "public.orders", "public.customers");
        var tree = new ForeignKey("tree_fk", "public.tree", "public.tree");
        var keys = List.of(orders, tree);

        assertThat(ExcludedDataCheck.broken(keys, data(List.of(), List.of("customers")))).containsExactly(orders);
        assertThat(ExcludedDataCheck.broken(keys, data(List.of("public.cust*"), List.of()))).containsExactly(orders);
        assertThat(ExcludedDataCheck.broken(keys, data(List.of("customers"), List.of("orders"))))
                .as("the table is gone, so the key on the kept (empty) orders table cannot be made").containsExactly(orders);
        assertThat(ExcludedDataCheck.broken(keys, data(List.of(), List.of("customers", "orders")))).isEmpty();
        assertThat(ExcludedDataCheck.broken(keys, data(List.of("customers", "orders"), List.of()))).isEmpty();
        assertThat(ExcludedDataCheck.broken(keys, data(List.of(), List.of("orders", "tree")))).as("a key on itself").isEmpty();
        assertThat(ExcludedDataCheck.broken(keys, data(List.of(), List.of("other.customers")))).isEmpty();
    }

    private static DumpOptions data(List<String> tables, List<String> tableData) {
        return new DumpOptions(tables, tableData, List.of(), List.of(), false, false, null);
    }

    private void attach(String name, String url) {
        var attached = browser.post("/dashboard/databases", Map.of("name", name, "url", url));
        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(302);
    }

    private java.net.http.HttpResponse<String> options(Map<String, String> form) {
        return browser.post("/dashboard/databases/options", form);
    }

    private DumpOptions storedOptions(String configVar) {
        return DumpOptions.fromJson(new AddonRepository(app.db).databaseEntry(addonId, configVar).orElseThrow().dumpOptions());
    }
}
