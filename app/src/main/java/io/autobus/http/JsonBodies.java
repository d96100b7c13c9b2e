package io.autobus.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnprocessableContentResponse;

/** Reads JSON request bodies: malformed JSON is a 400, a missing or wrong field a 422. */
public final class JsonBodies {
    private final ObjectMapper json;

    public JsonBodies(ObjectMapper json) {
        this.json = json;
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
