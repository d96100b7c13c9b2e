package io.autobus.verify;

import io.autobus.db.PostgresBinaries;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL servers verification restores into, one per snapshot's major version
 * ({@link VerifierChoice} says which): {@code VERIFY_POSTGRES_URL_<major>}, {@code VERIFY_POSTGRES_URL},
 * or an embedded server of that major (14–18), started on first use, at most one per major,
 * stopped once unused for {@link #IDLE} and at close. A server is held from {@link #acquire} to
 * {@link #release}, and never stopped while held.
 */
final class PostgresScratchServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresScratchServers.class);
    /** How long an embedded server may sit unused before it is stopped (its memory back to the worker). */
    static final Duration IDLE = Duration.ofMinutes(10);

    private final Map<Integer, PostgresScratch> perMajor;
    private final Optional<PostgresScratch> catchAll;
    private final Optional<PostgresScratch> pinned;
    private final List<Integer> embeddedMajors;
    private final Path verifyRoot;
    private final Clock clock;
    private final Map<Integer, PostgresScratch> embedded = new HashMap<>();
    private final Map<PostgresScratch, Integer> holders = new HashMap<>();
    private final Map<PostgresScratch, Instant> lastReleased = new HashMap<>();
    private OptionalInt catchAllMajor = OptionalInt.empty();
    private ScheduledExecutorService idleStopper;

    /**
     * @param catchAllUrl  {@code VERIFY_POSTGRES_URL}
     * @param perMajorUrls {@code VERIFY_POSTGRES_URL_<major>}, by major
     * @param verifyRoot   where embedded servers keep their data ({@code AUTOBUS_HOME/verify})
     */
    PostgresScratchServers(Optional<String> catchAllUrl, Map<Integer, String> perMajorUrls, Path verifyRoot, Clock clock) {
        this(catchAllUrl, perMajorUrls, verifyRoot, clock, PostgresBinaries.MAJORS, Optional.empty());
    }

    private PostgresScratchServers(Optional<String> catchAllUrl, Map<Integer, String> perMajorUrls, Path verifyRoot, Clock clock,
                                   List<Integer> embeddedMajors, Optional<PostgresScratch> pinned) {
        var configured = new TreeMap<Integer, PostgresScratch>();
        perMajorUrls.forEach((major, url) -> configured.put(major, new PostgresScratch(Optional.of(url), verifyRoot)));
        this.perMajor = configured;
        this.catchAll = catchAllUrl.map(url -> new PostgresScratch(Optional.of(url), verifyRoot));
        this.pinned = pinned;
        this.embeddedMajors = List.copyOf(embeddedMajors);
        this.verifyRoot = verifyRoot;
        this.clock = clock;
    }

    /** Always {@code server}, whatever the snapshot's version (tests pin a server this way). */
    static PostgresScratchServers only(PostgresScratch server) {
        return new PostgresScratchServers(Optional.empty(), Map.of(), Path.of("."), Clock.systemUTC(), List.of(), Optional.of(server));
    }

    /**
     * The server that verifies a snapshot of PostgreSQL {@code sourceMajor}, held until {@link #release};
     * empty when none runs that major or a newer one.
     *
     * @throws SQLException when {@code VERIFY_POSTGRES_URL}'s version cannot be asked (its server is down)
     */
    Optional<PostgresScratch> acquire(int sourceMajor) throws SQLException {
        if (pinned.isPresent()) {
            return pinned;
        }
        OptionalInt catchAllVersion = catchAllMajor();
        synchronized (this) {
            var choice = VerifierChoice.choose(sourceMajor, perMajor.keySet(), catchAllVersion, embeddedMajors);
            if (choice.isEmpty()) {
                return Optional.empty();
            }
            PostgresScratch server = switch (choice.get().kind()) {
                case PER_MAJOR_URL -> perMajor.get(choice.get().major());
                case CATCH_ALL_URL -> catchAll.orElseThrow();
                case EMBEDDED -> embedded.computeIfAbsent(choice.get().major(),
                        major -> new PostgresScratch(Optional.empty(), verifyRoot, major));
            };
            holders.merge(server, 1, Integer::sum);
            if (server.embedded() && idleStopper == null) {
                idleStopper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("verify-idle-stopper").factory());
                idleStopper.scheduleWithFixedDelay(() -> stopIdle(clock.instant()), 1, 1, TimeUnit.MINUTES);
            }
            return Optional.of(server);
        }
    }

    /** The server is no longer used by the caller. */
    synchronized void release(PostgresScratch server) {
        if (pinned.isPresent()) {
            return;
        }
        holders.merge(server, -1, Integer::sum);
        lastReleased.put(server, clock.instant());
    }

    /** Stops the embedded servers nobody holds that were last released {@link #IDLE} before {@code now}; returns how many. */
    synchronized int stopIdle(Instant now) {
        int stopped = 0;
        for (var entry : embedded.entrySet()) {
            PostgresScratch server = entry.getValue();
            Instant released = lastReleased.get(server);
            if (server.running() && holders.getOrDefault(server, 0) == 0 && released != null
                    && !released.plus(IDLE).isAfter(now)) {
                closeQuietly(server);
                stopped++;
                LOG.info("event=verify_server_stopped_idle major={}", entry.getKey());
            }
        }
        return stopped;
    }

    /** The configured servers (URLs), where a stopped worker may have left scratch databases. */
    List<ScratchServer> configured() {
        var servers = new ArrayList<ScratchServer>(perMajor.values());
        catchAll.ifPresent(servers::add);
        pinned.ifPresent(servers::add);
        return servers;
    }

    private OptionalInt catchAllMajor() throws SQLException {
        if (catchAll.isEmpty()) {
            return OptionalInt.empty();
        }
        synchronized (this) {
            if (catchAllMajor.isPresent()) {
                return catchAllMajor;
            }
        }
        int major = catchAll.get().majorVersion();
        synchronized (this) {
            catchAllMajor = OptionalInt.of(major);
        }
        return OptionalInt.of(major);
    }

    private static void closeQuietly(PostgresScratch server) {
        try {
            server.close();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("event=verify_server_stop_failed reason=\"{}\"", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (idleStopper != null) {
            idleStopper.shutdownNow();
            idleStopper = null;
        }
        embedded.values().forEach(PostgresScratchServers::closeQuietly);
        pinned.ifPresent(PostgresScratchServers::closeQuietly);
    }
}
