package io.autobus.dump;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Table and schema names as pg_dump patterns: {@code *} and {@code ?} are wildcards, everything
 * else is literal; a qualified pattern ({@code schema.table}) matches qualified names, a bare one
 * the table's own name. One meaning for the dump's flags and for verification, both engines.
 */
public final class TablePatterns {
    private TablePatterns() {
    }

    public static boolean matchesAny(String table, Collection<String> patterns) {
        String bare = table.contains(".") ? table.substring(table.indexOf('.') + 1) : table;
        return patterns.stream().anyMatch(p -> matches(p.contains(".") ? table : bare, p));
    }

    public static boolean matches(String name, String pattern) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return Pattern.compile(regex.toString()).matcher(name).matches();
    }

    /** The names among {@code tables} that the patterns match (mysqldump takes exact names only). */
    public static List<String> expand(Collection<String> patterns, Collection<String> tables) {
        return tables.stream().filter(table -> matchesAny(table, patterns)).toList();
    }
}
