package io.autobus.api;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The snapshot lists of the REST API as sent, kept per add-on and query for as long as the
 * add-on's {@code snapshots_version} has not moved (a trigger counts every change to its
 * snapshots). Clients polling the list then cost one indexed read, not a page of rows mapped and
 * serialized again, and never see a list older than the database. Bounded: past 8 MiB it starts over.
 */
final class RenderedLists {
    private static final long BUDGET_BYTES = 8L << 20;

    private record Key(UUID addonId, String query) {
    }

    private record Rendered(long version, byte[] json) {
    }

    private final ConcurrentHashMap<Key, Rendered> lists = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param version the add-on's snapshots_version, read before rendering: a list rendered later
     *                is at least that recent
     */
    byte[] get(UUID addonId, long version, String query, Supplier<byte[]> render) {
        var key = new Key(addonId, query);
        Rendered kept = lists.get(key);
        if (kept != null && kept.version() == version) {
            return kept.json();
        }
        byte[] json = render.get();
        if (bytes.addAndGet(json.length) > BUDGET_BYTES) {
            lists.clear();
            bytes.set(json.length);
        }
        Rendered replaced = lists.put(key, new Rendered(version, json));
        if (replaced != null) {
            bytes.addAndGet(-replaced.json().length);
        }
        return json;
    }
}
