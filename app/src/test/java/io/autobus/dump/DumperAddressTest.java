package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DatabaseUrl;
import io.autobus.support.LoopbackPort;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A dump connects to the address it is given, never to what the URL's host resolves to again:
 * the URL says {@code localhost:<port>} where nothing listens on 127.0.0.1, and only the given
 * 127.0.0.2 forwards that port to the real server. Both the driver and the tool must go there.
 */
class DumperAddressTest {
    private final Dumpers dumpers = Dumpers.of(Tools.installed(io.autobus.support.TestApp.shared().settings.home().resolve("tmp")), 2, 1);

    @Test
    void pg_dump_and_the_driver_connect_to_the_given_address_with_the_host_name_kept_for_tls() throws Exception {
        String database = TestDatabase.create("pinned");
        try (var connection = SourceDatabases.postgres(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t AS SELECT generate_series(1, 3) AS id");
        }
        try (var forwarder = LoopbackPort.forwarding(InetAddress.getByName("127.0.0.2"), 5432)) {
            var url = DatabaseUrl.parse(database.replace("127.0.0.1:5432", "localhost:" + forwarder.port()));

            byte[] dump;
            try (var running = dumpers.postgres().start(url, InetAddress.getByName("127.0.0.2"), DumpOptions.DEFAULT)) {
                dump = running.output().readAllBytes();
            }

            assertThat(new String(Arrays.copyOf(dump, 5), StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
            assertThat(forwarder.connections()).as("the driver's and pg_dump's connections").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void mysqldump_and_the_driver_connect_to_the_given_address() throws Exception {
        String database = SourceDatabases.createMariadb("pinned");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO t VALUES (1), (2)");
        }
        try (var forwarder = LoopbackPort.forwarding(InetAddress.getByName("127.0.0.2"), 3306)) {
            var url = DatabaseUrl.parse("mysql://root@localhost:" + forwarder.port() + "/" + database);

            byte[] dump;
            try (var running = dumpers.mysql().start(url, InetAddress.getByName("127.0.0.2"), DumpOptions.DEFAULT)) {
                dump = running.output().readAllBytes();
            }

            assertThat(dump[0] & 0xff).isEqualTo(0x1f); // gzip
            assertThat(dump[1] & 0xff).isEqualTo(0x8b);
            assertThat(forwarder.connections()).as("the driver's and mysqldump's connections").isGreaterThanOrEqualTo(2);
        }
    }
}
