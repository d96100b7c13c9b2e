package io.autobus.jobs;

import io.autobus.logging.RepeatedLog;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How failed jobs reach the log: one line per kind (job type and exception class) every
 * {@link #WINDOW} with a count, without a stack trace. JobRunr itself logs every failed attempt
 * with its whole stack trace (logger {@code org.jobrunr.server.BackgroundJobPerformer}, turned
 * off in logback.xml for that reason): a job that fails the same way on every retry, or many
 * jobs failing the same way, filled the log. Postponed jobs ({@link JobPostponer}) do not fail,
 * so they never come here.
 */
public final class JobFailureLog implements JobServerFilter {
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(JobFailureLog.class);

    private final RepeatedLog log;

    public JobFailureLog() {
        this(new RepeatedLog(LOG, WINDOW));
    }

    JobFailureLog(RepeatedLog log) {
        this.log = log;
    }

    /** A failed attempt; JobRunr retries it (or gives up: {@link #onFailedAfterRetries}). */
    @Override
    public void onProcessingFailed(Job job, Exception exception) {
        Throwable cause = unwrap(exception);
        String type = type(job);
        log.warn("failed:" + type + ":" + cause.getClass().getName(), "event=job_failed job=" + type + " id=" + job.getId()
                + " error=" + cause.getClass().getSimpleName() + " reason=\"" + firstLine(cause.getMessage()) + "\"");
    }

    @Override
    public void onFailedAfterRetries(Job job) {
        String type = type(job);
        log.error("gave-up:" + type, "event=job_failed_for_good job=" + type + " id=" + job.getId() + " name=\"" + job.getJobName() + "\"");
    }

    /** The job's request type ({@code BackupJob}), or its handler's class for jobs of another form. */
    private static String type(Job job) {
        var details = job.getJobDetails();
        var parameters = details.getJobParameters();
        String className = parameters.isEmpty() ? details.getClassName() : parameters.getFirst().getClassName();
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause instanceof InvocationTargetException || cause.getClass().getName().startsWith("org.jobrunr."))) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").replace('"', '\'');
    }
}
