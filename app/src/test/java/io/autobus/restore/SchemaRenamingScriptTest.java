package io.autobus.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pg_restore's script moved to another schema: restored names only, never the COPY data, and no psql meta-commands. */
class SchemaRenamingScriptTest {
    private static final List<PgTableSelection.Relation> RESTORED = List.of(
            new PgTableSelection.Relation("public.orders", "orders"),
            new PgTableSelection.Relation("public.orders_id_seq", "orders_id_seq"),
            new PgTableSelection.Relation("\"Billing Dept\".\"Order Items\"", "\"Order Items\""));

    @Test
    void restored_names_move_other_names_and_the_data_stay() throws IOException {
        String script = """
                \\restrict KEY
                CREATE TABLE public.orders (id integer NOT NULL, customer_id integer);
                ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;
                ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);
                ALTER TABLE ONLY public.orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES public.customers(id);
                CREATE TRIGGER t BEFORE INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION public.orders_stamp();
                SELECT * FROM public.orders_archive, "Billing Dept"."Order Items";
                COPY public.orders (id, note) FROM stdin;
                1	public.orders
                2	\\\\restrict
                \\.
                \\unrestrict KEY
                """;

        assertThat(rewrite(script)).isEqualTo("""
                BEGIN;
                CREATE SCHEMA restored_x;
                \\restrict KEY
                CREATE TABLE restored_x.orders (id integer NOT NULL, customer_id integer);
                ALTER SEQUENCE restored_x.orders_id_seq OWNED BY restored_x.orders.id;
                ALTER TABLE ONLY restored_x.orders ALTER COLUMN id SET DEFAULT nextval('restored_x.orders_id_seq'::regclass);
                ALTER TABLE ONLY restored_x.orders ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES public.customers(id);
                CREATE TRIGGER t BEFORE INSERT ON restored_x.orders FOR EACH ROW EXECUTE FUNCTION public.orders_stamp();
                SELECT * FROM public.orders_archive, restored_x."Order Items";
                COPY restored_x.orders (id, note) FROM stdin;
                1	public.orders
                2	\\\\restrict
                \\.
                \\unrestrict KEY
                COMMIT;
                """);
    }

    @Test
    void a_meta_command_outside_the_data_stops_the_script_before_its_commit() {
        String script = "CREATE TABLE public.orders (id int);\n\\! touch /tmp/pwned\n";
        assertThatThrownBy(() -> rewrite(script)).isInstanceOf(IOException.class).hasMessageContaining("meta-command");
        assertThatThrownBy(() -> rewrite("\\restrict OTHER\n")).isInstanceOf(IOException.class);
    }

    @Test
    void a_script_cut_short_never_commits() {
        InputStream failing = new InputStream() {
            private final InputStream head = new ByteArrayInputStream("CREATE TABLE public.orders (id int);\n".getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b < 0) {
                    throw new IOException("pg_restore failed (exit 1)");
                }
                return b;
            }
        };
        var script = new SchemaRenamingScript(failing, RESTORED, "restored_x", "KEY");
        var read = new java.io.ByteArrayOutputStream();
        assertThatThrownBy(() -> script.transferTo(read)).hasMessageContaining("pg_restore failed");
        assertThat(read.toString(StandardCharsets.UTF_8)).doesNotContain("COMMIT");
    }

    private static String rewrite(String script) throws IOException {
        try (var in = new SchemaRenamingScript(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), RESTORED, "restored_x", "KEY")) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
