package io.autobus.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Every log line (DEBUG and up) from now until closed, to check that no secret appears in them. */
public final class CapturedLogs implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Level before = root.getLevel();

    public static CapturedLogs start() {
        return new CapturedLogs();
    }

    private CapturedLogs() {
        captured.start();
        root.setLevel(Level.DEBUG);
        root.addAppender(captured);
    }

    /** The lines so far, with their exceptions' messages. */
    public String text() {
        return captured.list.stream().map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        root.detachAppender(captured);
        root.setLevel(before);
    }
}
