package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SnapshotKeysTest {
    @Test
    void files_are_named_as_the_seed_shows_them() {
        assertThat(SnapshotKeys.fileName("DATABASE_URL", "54d4041969702d0295380301", "postgresql"))
                .isEqualTo("DATABASE_54d4041969702d0295380301.dump");
        assertThat(SnapshotKeys.fileName("HEROKU_POSTGRESQL_PURPLE_URL", "552b383e69702d5b420f0000", "postgresql"))
                .isEqualTo("PURPLE_552b383e69702d5b420f0000.dump");
        assertThat(SnapshotKeys.fileName("JAWSDB_URL", "54d4041969702d0295380301", "mysql"))
                .isEqualTo("JAWSDB_54d4041969702d0295380301.sql.gz");
    }

    @Test
    void ids_are_24_random_hex_digits_and_objects_of_an_addon_share_a_prefix() {
        var ids = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(SnapshotKeys.newId());
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.matches("[0-9a-f]{24}"));
        UUID addon = UUID.randomUUID();
        assertThat(SnapshotKeys.objectKey(addon, "DATABASE_URL", "abc", "postgresql")).isEqualTo(addon + "/DATABASE_abc.dump");
    }
}
