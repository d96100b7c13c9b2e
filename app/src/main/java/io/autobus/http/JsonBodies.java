package io.autobus.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnprocessableContentResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads JSON request bodies into records: malformed JSON is a 400; a missing or wrong field a 422
 * that names it. Records check their own values in their compact constructors, throwing
 * {@link UnprocessableContentResponse}; the binder passes that answer on as it is.
 */
public final class JsonBodies {
    /**
     * On a request record: an explicit {@code null} is bound as {@code null} instead of refused. With
     * {@code @JsonProperty(required = true)} a field must still be sent, and {@code null} can mean something of its own.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface NullsAllowed {
    }

    private final ObjectMapper json;
    /** Binds to records without guessing: no "3" for 3, no 3.5 for 3, no 5 for "5", no null, no unknown field. */
    private final ObjectMapper strict;
    /** As {@link #strict}, for what Heroku sends: fields we do not read are ignored, whatever they hold. */
    private final ObjectMapper lenient;

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
        this.lenient = strict.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The body bound to {@code type} (a record of optional fields: absent stays null). A field of
     * the wrong type, a null (unless the record is {@link NullsAllowed}), or an unknown field is a
     * 422 that names the field.
     */
    public <T> T bind(JsonNode body, Class<T> type) {
        // Checked here rather than by Jackson, which cannot tell an explicit null from an absent field.
        if (!type.isAnnotationPresent(NullsAllowed.class)) {
            body.fieldNames().forEachRemaining(name -> {
                if (body.get(name).isNull()) {
                    throw new UnprocessableContentResponse(name + " must not be null.");
                }
            });
        }
        return bind(strict, body, type);
    }

    /** As {@link #bind(JsonNode, Class)}, for a body of Heroku's: fields the record does not have are ignored, and a null is absent. */
    public <T> T bindIgnoringUnknown(JsonNode body, Class<T> type) {
        return bind(lenient, body, type);
    }

    private static <T> T bind(ObjectMapper mapper, JsonNode body, Class<T> type) {
        try {
            return mapper.treeToValue(body, type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof HttpResponseException refused) {
                throw refused;
            }
            throw new UnprocessableContentResponse(field(e) + " has a value that cannot be used.");
        } catch (UnrecognizedPropertyException e) {
            throw new UnprocessableContentResponse(e.getPropertyName() + " is not a field of this request; the fields are "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ".");
        } catch (InvalidNullException e) {
            throw new UnprocessableContentResponse(field(e) + " must not be null.");
        } catch (MismatchedInputException e) {
            // A @JsonProperty(required = true) field left out: Jackson has no exception type of its own for it.
            if (String.valueOf(e.getOriginalMessage()).startsWith("Missing required creator property")) {
                throw new UnprocessableContentResponse(field(e) + " is required" + description(e) + ".");
            }
            throw new UnprocessableContentResponse(field(e) + " must be " + expected(e.getTargetType()) + description(e) + ".");
        } catch (JsonMappingException e) {
            throw new UnprocessableContentResponse(field(e) + " has a value that cannot be used (out of range?).");
        } catch (JsonProcessingException e) {
            throw new UnprocessableContentResponse("The request body has a value that cannot be used (out of range?).");
        }
    }

    /** The names a request record's fields have in JSON. */
    public static List<String> fieldNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(JsonBodies::name).toList();
    }

    private static String name(RecordComponent component) {
        JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
        return property == null || property.value().isEmpty() ? component.getName() : property.value();
    }

    /** What the field is for, from its {@link JsonPropertyDescription}: ": your age public key (age1...)". */
    private static String description(JsonMappingException e) {
        if (e.getPath().isEmpty() || e.getPath().getLast().getFieldName() == null) {
            return "";
        }
        var reference = e.getPath().getLast();
        Object from = reference.getFrom();
        Class<?> owner = from instanceof Class<?> type ? type : from == null ? Object.class : from.getClass();
        if (!owner.isRecord()) {
            return "";
        }
        return Arrays.stream(owner.getRecordComponents())
                .filter(component -> name(component).equals(reference.getFieldName()))
                .map(component -> component.getAccessor().getAnnotation(JsonPropertyDescription.class))
                .filter(Objects::nonNull)
                .map(description -> ": " + description.value())
                .findFirst().orElse("");
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

    /** The body as a JSON object; anything else is a 400. */
    public ObjectNode object(Context ctx) {
        JsonNode node;
        try {
            node = json.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new BadRequestResponse("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestResponse("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    public ObjectNode emptyObject() {
        return json.createObjectNode();
    }
}
