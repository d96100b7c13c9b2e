package io.autobus.web;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Template filters: {@code bytes} (1.2 MB), {@code millis} (3.4 s), {@code seconds} (3 min 20 s),
 * {@code when} (2026-11-24 03:07 UTC).
 */
final class Formats extends AbstractExtension {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of("bytes", filter(Formats::bytes), "millis", filter(Formats::millis), "seconds", filter(Formats::seconds),
                "when", filter(Formats::when));
    }

    private interface Format {
        String apply(Object value);
    }

    private static Filter filter(Format format) {
        return new Filter() {
            @Override
            public List<String> getArgumentNames() {
                return List.of();
            }

            @Override
            public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                return input == null ? "" : format.apply(input);
            }
        };
    }

    static String bytes(Object value) {
        double bytes = ((Number) value).doubleValue();
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int unit = 0;
        while (Math.abs(bytes) >= 1000 && unit < units.length - 1) {
            bytes /= 1000;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", bytes) : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
    }

    static String millis(Object value) {
        double seconds = ((Number) value).doubleValue() / 1000;
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds)
                : String.format(Locale.ROOT, "%d min %d s", (long) seconds / 60, (long) seconds % 60);
    }

    /** A time to go, as precise as it is worth: 45 s, 3 min 20 s, 2 h 5 min. */
    static String seconds(Object value) {
        long seconds = ((Number) value).longValue();
        if (seconds < 60) {
            return seconds + " s";
        }
        return seconds < 3600 ? String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60)
                : String.format(Locale.ROOT, "%d h %d min", seconds / 3600, seconds % 3600 / 60);
    }

    static String when(Object value) {
        return value instanceof Instant instant ? WHEN.format(instant) : String.valueOf(value);
    }
}
