package io.autobus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shutting down: one resource that fails to close leaves none of the others open. */
class ClosingInOrderTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void a_store_that_fails_to_close_does_not_leave_the_verification_server_and_the_database_open() {
        AutoCloseable stores = () -> {
            closed.add("stores");
            throw new IOException("the S3 client's connection pool would not shut down");
        };

        assertThatThrownBy(() -> ClosingInOrder.closeAll(List.of(named("jobs"), stores, named("verification"), named("database"))))
                .hasMessageContaining("the S3 client's connection pool would not shut down");

        assertThat(closed).containsExactly("jobs", "stores", "verification", "database");
    }

    @Test
    void every_failure_is_reported_the_first_with_the_later_ones_attached() {
        AutoCloseable jobs = () -> {
            throw new IllegalStateException("job server busy");
        };
        AutoCloseable verification = () -> {
            throw new IOException("embedded PostgreSQL did not stop");
        };

        assertThatThrownBy(() -> ClosingInOrder.closeAll(List.of(jobs, verification, named("database"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("job server busy")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("embedded PostgreSQL did not stop"));
        assertThat(closed).containsExactly("database");
    }

    @Test
    void nothing_is_thrown_when_everything_closes() {
        ClosingInOrder.closeAll(List.of(named("jobs"), named("database")));

        assertThat(closed).containsExactly("jobs", "database");
    }

    private AutoCloseable named(String name) {
        return () -> closed.add(name);
    }
}
