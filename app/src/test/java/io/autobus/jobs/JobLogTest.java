package io.autobus.jobs;

import static io.autobus.db.generated.Tables.SNAPSHOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.api.ApiTokens;
import io.autobus.backup.DatabaseLocks;
import io.autobus.support.BackupHarness;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.LoggerFactory;

/** What the running service's jobs write to the log, captured: waiting is not failing, and failures are counted, not traced. */
class JobLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BackupHarness harness = new BackupHarness();
    private final TestApp app = harness.app;
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void capture() {
        captured.start();
        rootLevel = root.getLevel();
        root.setLevel(Level.INFO);
        root.addAppender(captured);
    }

    @AfterEach
    void release() {
        root.detachAppender(captured);
        root.setLevel(rootLevel);
    }

    @Test
    void a_backup_of_a_database_another_run_holds_waits_without_a_failure_or_a_stack_trace_and_runs_once_it_is_free() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", TestDatabase.create("busy"));
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        String jid;
        String snapshotId;

        try (var held = new DatabaseLocks(metadata()).tryLock(addon, "DATABASE_URL").orElseThrow()) {
            var answer = JSON.readTree(app.http.send("POST", "/api/snapshots?token=" + token, null, Map.of()).body());
            jid = answer.path("jid").asText();
            snapshotId = answer.path("snapshot_id").asText();
            String postponed = UUID.nameUUIDFromBytes(("postponed:" + jid).getBytes(StandardCharsets.UTF_8)).toString();
            await().atMost(Duration.ofSeconds(20)).until(() -> "SCHEDULED".equals(jobState(postponed)));

            assertThat(jobState(jid)).as("the job that found the database busy").isEqualTo("SUCCEEDED");
            assertThat(app.db.fetchValue(SNAPSHOT.STATUS, SNAPSHOT.ID.eq(snapshotId))).isEqualTo("pending");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(app.db.fetchValue(SNAPSHOT.STATUS, SNAPSHOT.ID.eq(snapshotId))));

        assertThat(app.db.fetchValue("select count(*) from jobrunr_jobs where state = 'FAILED' and jobAsJson like ?", "%" + snapshotId + "%"))
                .as("failed jobs of that snapshot").isEqualTo(0L);
        assertThat(captured.list).as("log lines with a stack trace").noneMatch(event -> event.getThrowableProxy() != null);
        assertThat(captured.list).as("errors").noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    @Test
    void a_job_that_fails_again_and_again_is_logged_in_one_line_without_a_stack_trace() throws Exception {
        var scheduler = scheduler();
        UUID failing = UUID.randomUUID();

        try {
            scheduler.enqueue(failing, new Unhandled(failing.toString()));
            // JobRunr retries after 3^n s (and a poll): wait for the second failure.
            await().atMost(Duration.ofSeconds(40)).until(() -> failures(failing) >= 2);

            var lines = captured.list.stream().filter(event -> event.getFormattedMessage().contains("job=Unhandled")).toList();
            assertThat(lines).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.WARN);
                assertThat(line.getFormattedMessage()).startsWith("event=job_failed job=Unhandled id=" + failing
                        + " error=IllegalStateException reason=\"no handler registered for ").endsWith(" occurrences=1");
                assertThat(line.getThrowableProxy()).isNull();
            });
            assertThat(captured.list).as("JobRunr's own lines, each with a stack trace")
                    .noneMatch(event -> event.getLoggerName().startsWith("org.jobrunr.server.BackgroundJobPerformer"))
                    .noneMatch(event -> event.getThrowableProxy() != null);
        } finally {
            scheduler.delete(failing);
        }
    }

    /** A job no worker has a handler for: every attempt fails the same way. */
    public record Unhandled(String tag) implements JobRequest {
        @Override
        public Class<UnhandledHandler> getJobRequestHandler() {
            return UnhandledHandler.class;
        }
    }

    public static final class UnhandledHandler implements JobRequestHandler<Unhandled> {
        @Override
        public void run(Unhandled request) {
            throw new AssertionError("never registered, never run");
        }
    }

    /** Enqueues into the test app's job storage, as another process would. */
    private JobRequestScheduler scheduler() {
        var storage = new PostgresStorageProvider(metadata());
        storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
        return new JobRequestScheduler(storage);
    }

    private long failures(UUID job) {
        String json = app.db.fetchValue("select jobAsJson from jobrunr_jobs where id = ?", job.toString()).toString();
        return Pattern.compile("\"state\"\\s*:\\s*\"FAILED\"").matcher(json).results().count();
    }

    private String jobState(String id) {
        List<Object> states = app.db.fetchValues("select state from jobrunr_jobs where id = ?", id).stream().map(Object.class::cast).toList();
        return states.isEmpty() ? null : states.getFirst().toString();
    }

    private DataSource metadata() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return ds;
    }
}
