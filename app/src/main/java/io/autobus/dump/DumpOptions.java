package io.autobus.dump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The dump options a customer may choose for one database: a vetted set, each mapped to the
 * tool's own flag by the dumper. Anything else is refused with a message, never passed through.
 *
 * @param excludeTables    tables left out entirely (pg_dump patterns such as {@code public.logs*})
 * @param excludeTableData tables whose definition is kept but not their rows
 * @param schemas          PostgreSQL only: dump only these schemas
 * @param excludeSchemas   PostgreSQL only: leave these schemas out
 * @param noOwner          PostgreSQL only: no ALTER ... OWNER in the dump
 * @param noAcl            PostgreSQL only: no GRANT/REVOKE in the dump
 * @param compressionLevel 0-9; null means Autobus's default, 1 (fast; a few percent larger than 6)
 */
public record DumpOptions(List<String> excludeTables, List<String> excludeTableData, List<String> schemas,
                          List<String> excludeSchemas, boolean noOwner, boolean noAcl, Integer compressionLevel) {

    public static final DumpOptions DEFAULT = new DumpOptions(List.of(), List.of(), List.of(), List.of(), false, false, null);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("exclude_tables", "exclude_table_data", "schemas", "exclude_schemas",
            "no_owner", "no_acl", "compression_level");
    /** Names and simple patterns: letters, digits, _ $ . * ? and inner hyphens; never a leading '-'. */
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_$*?][\\p{L}\\p{N}_$*?.\\-]{0,254}");

    public DumpOptions {
        excludeTables = List.copyOf(excludeTables);
        excludeTableData = List.copyOf(excludeTableData);
        schemas = List.copyOf(schemas);
        excludeSchemas = List.copyOf(excludeSchemas);
        excludeTables.forEach(name -> checkName("exclude_tables", name));
        excludeTableData.forEach(name -> checkName("exclude_table_data", name));
        schemas.forEach(name -> checkName("schemas", name));
        excludeSchemas.forEach(name -> checkName("exclude_schemas", name));
        if (compressionLevel != null && (compressionLevel < 0 || compressionLevel > 9)) {
            throw new IllegalArgumentException("compression_level must be between 0 and 9, got " + compressionLevel);
        }
    }

    /** Reads options as stored or sent: {@code {"exclude_tables": ["logs"], "compression_level": 9}}. */
    public static DumpOptions fromJson(String json) {
        if (json == null || json.isBlank()) {
            return DEFAULT;
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("dump options are not valid JSON");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("dump options must be a JSON object");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("'" + key + "' is not a dump option Autobus accepts; accepted: "
                        + String.join(", ", KEYS.stream().sorted().toList()));
            }
        });
        JsonNode level = node.path("compression_level");
        if (!level.isMissingNode() && !level.isNull() && !level.isInt()) {
            throw new IllegalArgumentException("compression_level must be a whole number from 0 to 9");
        }
        return new DumpOptions(names(node, "exclude_tables"), names(node, "exclude_table_data"), names(node, "schemas"),
                names(node, "exclude_schemas"), flag(node, "no_owner"), flag(node, "no_acl"),
                level.isInt() ? level.asInt() : null);
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        array(node, "exclude_tables", excludeTables);
        array(node, "exclude_table_data", excludeTableData);
        array(node, "schemas", schemas);
        array(node, "exclude_schemas", excludeSchemas);
        if (noOwner) {
            node.put("no_owner", true);
        }
        if (noAcl) {
            node.put("no_acl", true);
        }
        if (compressionLevel != null) {
            node.put("compression_level", compressionLevel);
        }
        return node.toString();
    }

    /** Options that only pg_dump understands are refused for MySQL and MariaDB databases. */
    public void checkForMysql() {
        if (!schemas.isEmpty() || !excludeSchemas.isEmpty() || noOwner || noAcl) {
            throw new IllegalArgumentException("schemas, exclude_schemas, no_owner and no_acl apply to PostgreSQL only");
        }
    }

    private static void checkName(String option, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(option + ": '" + name + "' is not a table or schema name Autobus accepts "
                    + "(letters, digits, _ $ . - and the wildcards * ?)");
        }
    }

    private static List<String> names(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(key + " must be a list of names");
        }
        var names = new ArrayList<String>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(key + " must be a list of names");
            }
            names.add(item.asText());
        }
        return names;
    }

    private static boolean flag(JsonNode node, String key) {
        JsonNode value = node.path(key);
        if (!value.isMissingNode() && !value.isNull() && !value.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false");
        }
        return value.asBoolean(false);
    }

    private static void array(ObjectNode node, String key, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(key);
            values.forEach(array::add);
        }
    }
}
