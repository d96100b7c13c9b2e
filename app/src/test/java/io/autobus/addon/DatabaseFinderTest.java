package io.autobus.addon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.support.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseFinderTest {
    private final DatabaseFinder finder = new DatabaseFinder();

    @Test
    void finds_every_supported_database_in_real_config_vars_and_nothing_else() throws Exception {
        Map<String, String> vars = new ObjectMapper().readValue(Fixtures.read("platform/config-vars.json"), new TypeReference<>() { });

        var found = finder.find(vars);

        assertThat(found).extracting(FoundDatabase::configVar).containsExactly(
                "DATABASE_URL", "HEROKU_POSTGRESQL_PURPLE_URL", "JAWSDB_URL", "JAWSDB_MARIA_URL", "CLEARDB_DATABASE_URL");
        assertThat(found.get(4)).isEqualTo(new FoundDatabase("CLEARDB_DATABASE_URL", "mysql",
                "us-cdbr-east-02.cleardb.com", 3306, "heroku_0123456789abcde"));
        assertThat(found.get(3).engine()).isEqualTo("mariadb");
        assertThat(found.get(1).label()).isEqualTo("PURPLE");
    }

    @Test
    void the_primary_heroku_postgres_database_is_found_once_under_database_url() {
        String url = "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1";
        var found = finder.find(Map.of(
                "HEROKU_POSTGRESQL_AMBER_URL", url,
                "DATABASE_URL", url,
                "HEROKU_POSTGRESQL_COBALT_URL", "postgresql://u:p@ec2-5-6-7-8.compute-1.amazonaws.com:5432/d2"));

        assertThat(found).extracting(FoundDatabase::configVar).containsExactly("DATABASE_URL", "HEROKU_POSTGRESQL_COBALT_URL");
    }

    @Test
    void unparseable_and_unrelated_vars_are_skipped() {
        var found = finder.find(Map.of(
                "DATABASE_URL", "redis://h:6379",
                "JAWSDB_URL", "not a url at all",
                "MY_DATABASE_URL", "postgres://u:p@h/d",
                "CLEARDB_DATABASE_URL", ""));

        assertThat(found).isEmpty();
    }
}
