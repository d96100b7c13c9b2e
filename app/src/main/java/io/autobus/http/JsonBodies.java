package io.autobus.http;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnprocessableContentResponse;
import java.util.Collection;
import java.util.stream.Collectors;

/** Reads JSON request bodies: malformed JSON is a 400, a missing or wrong field a 422. */
public final class JsonBodies {
    private final ObjectMapper json;
    /** Binds to records without guessing: no "3" for 3, no 3.5 for 3, no 5 for "5", no null, no unknown field. */
    private final ObjectMapper strict;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
        this.strict = json.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        for (var type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual,
                LogicalType.Collection}) {
            for (var shape : CoercionInputShape.values()) {
                strict.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
            }
        }
    }

    /**
     * The body bound to {@code type} (a record of optional fields: absent stays null). A field of
     * the wrong type, a null, or an unknown field is a 422 that names the field.
     */
    public <T> T bind(JsonNode body, Class<T> type) {
        // Checked here rather than by Jackson, which cannot tell an explicit null from an absent field.
        body.fieldNames().forEachRemaining(name -> {
            if (body.get(name).isNull()) {
                throw new UnprocessableContentResponse(name + " must not be null.");
            }
        });
        try {
            return strict.treeToValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new UnprocessableContentResponse(e.getPropertyName() + " is not a field of this request; the fields are "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".");
        } catch (InvalidNullException e) {
            throw new UnprocessableContentResponse(field(e) + " must not be null.");
        } catch (MismatchedInputException e) {
            throw new UnprocessableContentResponse(field(e) + " must be " + expected(e.getTargetType()) + ".");
        } catch (JsonMappingException e) {
            throw new UnprocessableContentResponse(field(e) + " has a value that cannot be used (out of range?).");
        } catch (JsonProcessingException e) {
            throw new UnprocessableContentResponse("The request body has a value that cannot be used (out of range?).");
        }
    }

    /** Where the problem is, as a client writes it: {@code exclude_tables[0]}. */
    private static String field(JsonMappingException e) {
        var path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "The request body" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        } else if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "a string";
        } else if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a JSON object";
    }

    public JsonNode object(Context ctx) {
        JsonNode node;
        try {
            node = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestResponse("The request body must be a JSON object.");
        }
        return node;
    }

    public JsonNode emptyObject() {
        return json.createObjectNode();
    }

    /** A field that must be a non-empty string. */
    public static String requiredText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new UnprocessableContentResponse(field + " is required and must be a non-empty string.");
        }
        return value.asText();
    }

    /** A field that may be absent, but is a string when present. */
    public static String optionalText(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new UnprocessableContentResponse(field + " must be a string.");
        }
        return value.asText();
    }
}
