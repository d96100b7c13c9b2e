package io.autobus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.AddonRepository;
import io.autobus.crypto.SecretBox;
import io.autobus.restore.RestoreMode;
import io.autobus.restore.RestoreRepository;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Restores the service runs, asked for and followed over the API, into real PostgreSQL and MariaDB databases. */
class RestoresApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CONFIRM = Pattern.compile("\"confirm\": \"([^\"]+)\"");
    private static final String[] POSTGRES_CONTENT = {
            "SELECT id, name, price FROM items ORDER BY id",
            "SELECT id, item_id, note FROM notes ORDER BY id",
            "SELECT last_value FROM items_id_seq",
            "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'items'",
            "SELECT label(1)",
            "SELECT * FROM cheap_items ORDER BY id"};
    private final TestApp app = TestApp.shared();
    private final AddonRepository addons = new AddonRepository(app.db);

    private record Tenant(UUID addonId, String token) {
    }

    private Tenant tenant() {
        UUID id = UUID.randomUUID();
        HerokuPartner.of(app).provision(id, "travel", "grant-" + id);
        return new Tenant(id, new ApiTokens(app.db).enable(id, true).orElseThrow());
    }

    private void attach(Tenant tenant, String name, String url) {
        app.attach(tenant.addonId(), name, url);
    }

    @Test
    void a_whole_postgres_restore_brings_back_the_database_as_it_was_after_a_safety_snapshot() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithShapes();
        attach(tenant, "DATABASE", source);
        String snapshot = snapshot(tenant, "DATABASE_URL");
        List<String> atSnapshot;
        try (var connection = SourceDatabases.postgres(source)) {
            atSnapshot = SourceDatabases.rows(connection, POSTGRES_CONTENT);
        }
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("DELETE FROM notes WHERE id > 1");
            sql.execute("DELETE FROM items WHERE id > 2");
            sql.execute("ALTER TABLE items DROP COLUMN price CASCADE");
            sql.execute("INSERT INTO items (name) VALUES ('new')");
            sql.execute("CREATE TABLE added_later (id int)");
        }

        var refused = post(tenant, snapshot, "{\"target\": \"DATABASE_URL\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        var confirm = CONFIRM.matcher(message(refused));
        assertThat(confirm.find()).as("the answer says what to send: " + message(refused)).isTrue();

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"target\": \"DATABASE_URL\", \"confirm\": \"" + confirm.group(1) + "\"}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("mode").asText()).isEqualTo("whole");
        try (var connection = SourceDatabases.postgres(source)) {
            assertThat(SourceDatabases.rows(connection, POSTGRES_CONTENT)).isEqualTo(atSnapshot).contains("id,name,price");
        }
        assertThat(done.path("tables")).extracting(t -> t.path("name").asText() + "=" + t.path("rows").asLong() + "/"
                + t.path("expected_rows").asLong()).containsExactlyInAnyOrder("public.items=3/3", "public.notes=2/2");
        String safety = done.path("safety_snapshot_id").asText();
        JsonNode safetySnapshot = JSON.readTree(get(tenant, "/api/snapshots/" + safety).body());
        assertThat(safetySnapshot.path("description").asText()).isEqualTo("before restore of " + snapshot);
        assertThat(safetySnapshot.path("status").asText()).isEqualTo("completed");
        assertThat(safetySnapshot.path("statistics").path("tables").toString()).as("the database as it was before the restore")
                .contains("added_later");
    }

    @Test
    void a_whole_mariadb_restore_into_another_attached_database_holds_the_snapshots_rows() throws Exception {
        Tenant tenant = tenant();
        String source = SourceDatabases.createMariadb("restore_src");
        try (var connection = SourceDatabases.mariadb(source); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, note text)");
            sql.execute("INSERT INTO orders (note) VALUES ('a'), ('it''s'), ('),(')");
        }
        String staging = SourceDatabases.createMariadb("restore_dst");
        try (var connection = SourceDatabases.mariadb(staging); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)");
            sql.execute("INSERT INTO orders VALUES (99, 'staging only')");
        }
        attach(tenant, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        attach(tenant, "STAGING", "mysql://root@127.0.0.1:3306/" + staging);
        String snapshot = snapshot(tenant, "JAWSDB_URL");
        String confirm = confirmFor(tenant, snapshot, "STAGING_URL");

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"target\": \"STAGING_URL\", \"confirm\": \"" + confirm
                + "\", \"snapshot_first\": false}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("safety_snapshot_id").isNull()).as("turned off for this restore").isTrue();
        try (var connection = SourceDatabases.mariadb(staging)) {
            assertThat(SourceDatabases.rows(connection, "SELECT id, note FROM orders ORDER BY id"))
                    .containsExactly("-- SELECT id, note FROM orders ORDER BY id", "1|a", "2|it's", "3|),(");
        }
        assertThat(done.path("tables")).extracting(t -> t.path("name").asText() + "=" + t.path("rows").asLong() + "/"
                + t.path("expected_rows").asLong()).containsExactly("orders=3/3");
    }

    private static final String[] ORDERS = {
            "SELECT id, customer_id, total, note FROM %s.orders ORDER BY id",
            "SELECT last_value FROM %s.orders_id_seq",
            "SELECT indexdef FROM pg_indexes WHERE schemaname = '%s' AND tablename = 'orders' ORDER BY 1",
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '%s.orders'::regclass ORDER BY 1",
            "SELECT tgname FROM pg_trigger WHERE tgrelid = '%s.orders'::regclass AND NOT tgisinternal",
            "SELECT obj_description('%s.orders'::regclass)",
            "SELECT pg_get_serial_sequence('%s.orders', 'id')"};

    @Test
    void one_table_restored_alongside_comes_back_whole_in_its_own_schema_and_the_live_tables_are_untouched() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithOrders();
        attach(tenant, "DATABASE", source);
        String snapshot = snapshot(tenant, "DATABASE_URL");
        List<String> atSnapshot = orders(source, "public");
        List<String> liveAfterMistake;
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("DELETE FROM order_lines WHERE order_id > 1");
            sql.execute("DELETE FROM orders WHERE id > 1");
            liveAfterMistake = SourceDatabases.rows(connection, "SELECT * FROM orders ORDER BY id", "SELECT * FROM order_lines ORDER BY id");
        }

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"tables\": [\"orders\"]}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("mode").asText()).isEqualTo("alongside");
        String schema = "restored_" + snapshot;
        assertThat(done.path("restored_into").asText()).isEqualTo(schema);
        assertThat(done.path("safety_snapshot_id").isNull()).as("nothing live is touched: no safety snapshot").isTrue();
        assertThat(done.path("tables")).extracting(t -> t.path("name").asText() + "=" + t.path("rows").asLong() + "/"
                + t.path("expected_rows").asLong()).containsExactly("public.orders=4/4");
        var restored = orders(source, schema);
        assertThat(restored.subList(0, 4)).as("rows and the sequence's value").isEqualTo(atSnapshot.subList(0, 4));
        assertThat(String.join("\n", restored)).as("its index, checks, keys (the one to the live customers), trigger, comment, owned sequence")
                .contains("CREATE INDEX orders_customer_idx ON S.orders USING btree (customer_id)")
                .contains("orders_total_check CHECK ((total >= (0)::numeric))")
                .contains("orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id)")
                .contains("stamp_orders").contains("what customers bought").contains("S.orders_id_seq");
        try (var connection = SourceDatabases.postgres(source)) {
            assertThat(SourceDatabases.rows(connection, "SELECT * FROM orders ORDER BY id", "SELECT * FROM order_lines ORDER BY id"))
                    .isEqualTo(liveAfterMistake);
            assertThat(SourceDatabases.rows(connection, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = '"
                    + schema + ".orders'::regclass")).as("the copy draws its ids from its own sequence").contains(
                    "nextval('" + schema + ".orders_id_seq'::regclass)");
        }

        var again = post(tenant, snapshot, "{\"tables\": [\"orders\"]}");
        String second = JSON.readTree(again.body()).path("restore_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(get(tenant, "/api/restores/" + second).body())
                .path("status").asText().equals("failed"));
        assertThat(JSON.readTree(get(tenant, "/api/restores/" + second).body()).path("error").asText())
                .as("a second copy does not overwrite the first").contains(schema).contains("already exists");
    }

    @Test
    void one_table_replaced_is_back_as_it_was_with_the_keys_that_point_at_it_after_a_safety_snapshot() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithOrders();
        attach(tenant, "DATABASE", source);
        String snapshot = snapshot(tenant, "DATABASE_URL");
        List<String> atSnapshot = orders(source, "public");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("DELETE FROM order_lines WHERE order_id > 1");
            sql.execute("DELETE FROM orders WHERE id > 1");
            sql.execute("ALTER TABLE orders ADD COLUMN broken text, DROP CONSTRAINT orders_total_check");
            sql.execute("DROP INDEX orders_customer_idx");
            sql.execute("INSERT INTO customers (name) VALUES ('after the snapshot')");
        }
        String confirm = confirmFor(tenant, snapshot, "DATABASE_URL");

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"tables\": [\"public.orders\"], \"mode\": \"replace\", \"confirm\": \""
                + confirm + "\"}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("restored_into").isNull()).isTrue();
        assertThat(orders(source, "public")).isEqualTo(atSnapshot);
        try (var connection = SourceDatabases.postgres(source)) {
            assertThat(SourceDatabases.rows(connection,
                    "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'orders'",
                    "SELECT count(*) FROM customers",
                    "SELECT conname FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND contype = 'f'"))
                    .as("the table as it was; other tables untouched, their key to it back")
                    .containsExactly("-- SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                                    + " WHERE table_name = 'orders'", "id,customer_id,total,note",
                            "-- SELECT count(*) FROM customers", "3",
                            "-- SELECT conname FROM pg_constraint WHERE conrelid = 'order_lines'::regclass AND contype = 'f'",
                            "order_lines_order_id_fkey");
        }
        JsonNode safety = JSON.readTree(get(tenant, "/api/snapshots/" + done.path("safety_snapshot_id").asText()).body());
        assertThat(safety.path("status").asText()).isEqualTo("completed");
        assertThat(safety.path("statistics").path("tables").toString()).contains("public.orders");
    }

    @Test
    void a_table_restored_into_another_database_keeps_its_keys_only_to_tables_that_are_there() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithOrders();
        attach(tenant, "DATABASE", source);
        String staging = TestDatabase.create("restore_staging");
        attach(tenant, "STAGING", staging);
        String snapshot = snapshot(tenant, "DATABASE_URL");

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"target\": \"STAGING_URL\", \"tables\": [\"order_lines\"]}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        try (var connection = SourceDatabases.postgres(staging)) {
            assertThat(SourceDatabases.rows(connection, "SELECT order_id, item FROM restored_" + snapshot + ".order_lines ORDER BY id",
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = 'restored_" + snapshot + ".order_lines'::regclass AND contype = 'f'"))
                    .as("its rows; its key to orders, which the staging database does not have, left out")
                    .filteredOn(line -> !line.startsWith("-- ")).containsExactly("1|a", "2|b", "4|c", "0");
        }
    }

    @Test
    void a_restore_runs_as_the_target_urls_own_login_not_as_ours() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithShapes();
        String role = "restorer_" + UUID.randomUUID().toString().substring(0, 8);
        String target = TestDatabase.create("restore_login");
        String targetName = target.substring(target.lastIndexOf('/') + 1);
        try (var connection = SourceDatabases.postgres(target); var sql = connection.createStatement()) {
            sql.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER");
            sql.execute("ALTER DATABASE " + targetName + " OWNER TO " + role);
            sql.execute("GRANT ALL ON SCHEMA public TO " + role);
        }
        attach(tenant, "DATABASE", source);
        attach(tenant, "STAGING", "postgres://" + role + "@127.0.0.1:5432/" + targetName);
        String snapshot = snapshot(tenant, "DATABASE_URL");

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"target\": \"STAGING_URL\", \"tables\": [\"items\"]}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        try (var connection = SourceDatabases.postgres(target)) {
            assertThat(SourceDatabases.rows(connection, "SELECT tableowner FROM pg_tables WHERE schemaname = 'restored_" + snapshot + "'"))
                    .as("what the restore made belongs to the URL's user: the tools logged in as it").contains(role);
        }
    }

    @Test
    void quoted_mixed_case_names_restore_alongside() throws Exception {
        Tenant tenant = tenant();
        String source = TestDatabase.create("restore_quoted");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA \"Billing Dept\"");
            sql.execute("CREATE TABLE \"Billing Dept\".\"Order Items\" (\"Id\" serial PRIMARY KEY, \"Line\" text)");
            sql.execute("INSERT INTO \"Billing Dept\".\"Order Items\" (\"Line\") VALUES ('one'), ('two'), ('public.orders')");
        }
        attach(tenant, "DATABASE", source);
        String snapshot = snapshot(tenant, "DATABASE_URL");

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"tables\": [\"Billing Dept.Order Items\"]}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        try (var connection = SourceDatabases.postgres(source)) {
            assertThat(SourceDatabases.rows(connection, "SELECT \"Id\", \"Line\" FROM restored_" + snapshot + ".\"Order Items\" ORDER BY 1"))
                    .containsExactly("-- SELECT \"Id\", \"Line\" FROM restored_" + snapshot + ".\"Order Items\" ORDER BY 1",
                            "1|one", "2|two", "3|public.orders");
        }
    }

    @Test
    void mariadb_tables_restore_alongside_renamed_with_their_keys_and_triggers_and_replace_in_place() throws Exception {
        Tenant tenant = tenant();
        String source = SourceDatabases.createMariadb("restore_tables");
        try (var connection = SourceDatabases.mariadb(source); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE customers (id int AUTO_INCREMENT PRIMARY KEY, name text)");
            sql.execute("CREATE TABLE orders (id int AUTO_INCREMENT PRIMARY KEY, customer_id int, total decimal(10,2) CHECK (total >= 0),"
                    + " note text, KEY by_customer (customer_id), CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id))");
            sql.execute("CREATE TABLE order_lines (id int AUTO_INCREMENT PRIMARY KEY, order_id int,"
                    + " CONSTRAINT lines_order FOREIGN KEY (order_id) REFERENCES orders (id))");
            sql.execute("CREATE TRIGGER stamp BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = coalesce(NEW.note, 'new')");
            sql.execute("CREATE TABLE `odd``name` (id int PRIMARY KEY, v text)");
            sql.execute("INSERT INTO customers (name) VALUES ('ann'), ('bob')");
            sql.execute("INSERT INTO orders (customer_id, total, note) VALUES (1, 10, 'first'), (2, 0, NULL), (1, 2.5, '),(''x')");
            sql.execute("INSERT INTO order_lines (order_id) VALUES (1), (3)");
            sql.execute("INSERT INTO `odd``name` VALUES (1, 'a'), (2, 'b')");
        }
        attach(tenant, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        String snapshot = snapshot(tenant, "JAWSDB_URL");
        try (var connection = SourceDatabases.mariadb(source); var sql = connection.createStatement()) {
            sql.execute("DELETE FROM order_lines WHERE order_id > 1");
            sql.execute("DELETE FROM orders WHERE id > 1");
            sql.execute("DELETE FROM `odd``name`");
        }

        JsonNode alongside = restoreAndWait(tenant, snapshot, "{\"tables\": [\"orders\", \"odd`name\"]}");

        assertThat(alongside.path("status").asText()).as(alongside.toString()).isEqualTo("completed");
        String suffix = "_restored_" + snapshot.substring(0, 8);
        assertThat(alongside.path("restored_into").asText()).isEqualTo(suffix);
        assertThat(alongside.path("tables")).extracting(t -> t.path("name").asText() + "=" + t.path("rows").asLong() + "/"
                + t.path("expected_rows").asLong()).containsExactlyInAnyOrder("orders=3/3", "odd`name=2/2");
        try (var connection = SourceDatabases.mariadb(source)) {
            assertThat(SourceDatabases.rows(connection, "SELECT id, customer_id, total, note FROM orders" + suffix + " ORDER BY id",
                    "SELECT count(*) FROM orders", "SELECT count(*) FROM `odd``name" + suffix + "`",
                    "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY 1",
                    "SELECT constraint_name, referenced_table_name FROM information_schema.referential_constraints"
                            + " WHERE constraint_schema = DATABASE() ORDER BY 1").stream().filter(l -> !l.startsWith("-- ")).toList())
                    .containsExactly("1|1|10.00|first", "2|2|0.00|new", "3|1|2.50|),('x", "1", "2", "stamp", "stamp" + suffix,
                            "lines_order|orders", "orders_customer|customers", "orders_customer" + suffix + "|customers");
        }

        String confirm = confirmFor(tenant, snapshot, "JAWSDB_URL");
        JsonNode replaced = restoreAndWait(tenant, snapshot, "{\"tables\": [\"orders\"], \"mode\": \"replace\", \"confirm\": \""
                + confirm + "\"}");

        assertThat(replaced.path("status").asText()).as(replaced.toString()).isEqualTo("completed");
        try (var connection = SourceDatabases.mariadb(source)) {
            assertThat(SourceDatabases.rows(connection, "SELECT id, note FROM orders ORDER BY id", "SELECT count(*) FROM order_lines",
                    "SELECT count(*) FROM `odd``name`").stream().filter(l -> !l.startsWith("-- ")).toList())
                    .as("orders back; the other tables untouched").containsExactly("1|first", "2|new", "3|),('x", "1", "0");
        }
    }

    private String postgresWithOrders() throws Exception {
        String url = TestDatabase.create("restore_orders");
        try (var connection = SourceDatabases.postgres(url); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text)");
            sql.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, "
                    + "total numeric CONSTRAINT orders_total_check CHECK (total >= 0), note text)");
            sql.execute("CREATE INDEX orders_customer_idx ON orders (customer_id)");
            sql.execute("COMMENT ON TABLE orders IS 'what customers bought'");
            sql.execute("CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW.note := coalesce(NEW.note, ''new''); RETURN NEW; END'");
            sql.execute("CREATE TRIGGER stamp_orders BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION stamp()");
            sql.execute("CREATE TABLE order_lines (id serial PRIMARY KEY, order_id int REFERENCES orders, item text)");
            sql.execute("INSERT INTO customers (name) VALUES ('ann'), ('bob')");
            sql.execute("INSERT INTO orders (customer_id, total, note) VALUES (1, 10, 'first'), (2, 0, NULL), (1, 2.5, 'tab\there'), (2, 7, 'x')");
            sql.execute("INSERT INTO order_lines (order_id, item) VALUES (1, 'a'), (2, 'b'), (4, 'c')");
        }
        return url;
    }

    private static List<String> orders(String source, String schema) throws Exception {
        try (var connection = SourceDatabases.postgres(source)) {
            var queries = java.util.Arrays.stream(ORDERS).map(q -> q.formatted(schema)).toArray(String[]::new);
            return SourceDatabases.rows(connection, queries).stream().filter(line -> !line.startsWith("-- ")).map(line -> line.replace(schema + ".", "S.")).toList();
        }
    }

    @Test
    void bad_requests_are_refused_with_what_to_do() throws Exception {
        Tenant tenant = tenant();
        String source = postgresWithShapes();
        attach(tenant, "DATABASE", source);
        attach(tenant, "JAWSDB", "mysql://root@127.0.0.1:3306/" + SourceDatabases.createMariadb("restore_other"));
        String snapshot = snapshot(tenant, "DATABASE_URL");

        var tables = JSON.readTree(get(tenant, "/api/snapshots/" + snapshot + "/tables").body());
        assertThat(tables).extracting(t -> t.path("name").asText() + "=" + t.path("rows").asLong() + "," + t.path("rows_exact").asBoolean())
                .containsExactlyInAnyOrder("public.items=3,true", "public.notes=2,true");
        assertThat(tables.get(0).path("size").asLong()).isPositive();

        assertRefused(post(tenant, snapshot, "{\"tables\": [\"public.itmes\"]}"), 422, "no table public.itmes", "Closest: public.items");
        assertRefused(post(tenant, snapshot, "{\"target\": \"JAWSDB_URL\", \"tables\": [\"items\"]}"), 422,
                "holds a PostgreSQL dump, and JAWSDB_URL is not a PostgreSQL database");
        assertRefused(post(tenant, snapshot, "{\"target\": \"NOT_THERE_URL\", \"tables\": [\"items\"]}"), 422, "NOT_THERE_URL");
        assertRefused(post(tenant, snapshot, "{\"tables\": [\"items\"], \"mode\": \"replace\"}"), 400, "\"confirm\"");
        assertRefused(post(tenant, snapshot, "{\"tables\": [\"items\"], \"mode\": \"sideways\"}"), 422, "mode must be");
        assertRefused(post(tenant, snapshot, "{\"tables\": \"items\"}"), 422, "tables must be a list: table names, like [\"public.orders\"]");
        assertRefused(post(tenant, snapshot, "{\"tables\": [\"items\"], \"snapshot_first\": \"yes\"}"), 422,
                "snapshot_first must be true or false");
        assertRefused(post(tenant, snapshot, "{\"tabels\": [\"items\"]}"), 422,
                "tabels is not a field of this request; the fields are confirm, mode, snapshot_first, tables, target.");
        assertRefused(post(tenant, "0123456789abcdef01234567", "{}"), 404, "No snapshot");
        assertThat(app.http.send("GET", "/api/restores/nope?token=" + tenant.token(), null, Map.of()).statusCode()).isEqualTo(404);

        new RestoreRepository(app.db).create(new RestoreRepository.NewRestore("busy" + UUID.randomUUID().toString().substring(0, 8),
                tenant.addonId(), snapshot, "DATABASE_URL", RestoreMode.ALONGSIDE, List.of("public.items"), true, UUID.randomUUID(),
                app.clock.instant()));
        assertRefused(post(tenant, snapshot, "{\"tables\": [\"items\"]}"), 409, "already waiting or running");
    }

    @Test
    void a_restore_its_worker_left_unfinished_long_ago_no_longer_holds_its_target() throws Exception {
        Tenant tenant = tenant();
        attach(tenant, "DATABASE", postgresWithShapes());
        String snapshot = snapshot(tenant, "DATABASE_URL");
        String stale = "stale" + UUID.randomUUID().toString().substring(0, 8);
        new RestoreRepository(app.db).create(new RestoreRepository.NewRestore(stale, tenant.addonId(), snapshot, "DATABASE_URL",
                RestoreMode.ALONGSIDE, List.of("public.items"), true, UUID.randomUUID(), app.clock.instant().minus(Duration.ofDays(2))));

        JsonNode done = restoreAndWait(tenant, snapshot, "{\"tables\": [\"items\"]}");

        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
        JsonNode abandoned = JSON.readTree(get(tenant, "/api/restores/" + stale).body());
        assertThat(abandoned.path("status").asText()).isEqualTo("failed");
        assertThat(abandoned.path("error").asText()).contains("abandoned");
    }

    private String postgresWithShapes() throws Exception {
        String url = TestDatabase.create("restore");
        try (var connection = SourceDatabases.postgres(url); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, price numeric CHECK (price >= 0))");
            sql.execute("CREATE TABLE notes (id serial PRIMARY KEY, item_id int REFERENCES items, note text)");
            sql.execute("INSERT INTO items (name, price) VALUES ('a', 1), ('b\tc', 2.5), ('line\nbreak', 0)");
            sql.execute("INSERT INTO notes (item_id, note) VALUES (1, 'x'), (3, '\\\\.')");
            sql.execute("CREATE FUNCTION label(i int) RETURNS text LANGUAGE sql AS 'SELECT name FROM items WHERE id = i'");
            sql.execute("CREATE VIEW cheap_items AS SELECT id, name FROM items WHERE price < 2");
        }
        return url;
    }

    private String snapshot(Tenant tenant, String database) throws Exception {
        var created = app.http.send("POST", "/api/snapshots?token=" + tenant.token(), "{\"database\": \"" + database + "\"}", Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String jid = JSON.readTree(created.body()).path("jid").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(get(tenant, "/api/snapshots/check_snapshot?jid=" + jid).body())
                .path("completed").asBoolean());
        return JSON.readTree(get(tenant, "/api/snapshots/check_snapshot?jid=" + jid).body()).path("snapshot_id").asText();
    }

    private String confirmFor(Tenant tenant, String snapshot, String target) throws Exception {
        var refused = post(tenant, snapshot, "{\"target\": \"" + target + "\"}");
        var confirm = CONFIRM.matcher(message(refused));
        assertThat(confirm.find()).as(refused.body()).isTrue();
        return confirm.group(1);
    }

    private JsonNode restoreAndWait(Tenant tenant, String snapshot, String body) throws Exception {
        var accepted = post(tenant, snapshot, body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).path("restore_id").asText();
        await().atMost(Duration.ofSeconds(90)).until(() -> List.of("completed", "failed")
                .contains(JSON.readTree(get(tenant, "/api/restores/" + id).body()).path("status").asText()));
        return JSON.readTree(get(tenant, "/api/restores/" + id).body());
    }

    private HttpResponse<String> post(Tenant tenant, String snapshot, String body) {
        return app.http.send("POST", "/api/snapshots/" + snapshot + "/restores?token=" + tenant.token(), body,
                Map.of("Content-Type", "application/json"));
    }

    private HttpResponse<String> get(Tenant tenant, String path) {
        return app.http.send("GET", path + (path.contains("?") ? "&" : "?") + "token=" + tenant.token(), null, Map.of());
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("message").asText();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String... parts) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(message(response)).contains(parts);
    }
}
