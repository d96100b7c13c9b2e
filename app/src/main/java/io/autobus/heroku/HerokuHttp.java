package io.autobus.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends requests to one Heroku service and reads its JSON answers, turning failures into {@link HerokuApiException},
 * tried again by {@link HerokuRetries} while Heroku is unreachable, overloaded or rate limiting us.
 */
final class HerokuHttp {
    private final OkHttpClient http;
    private final ObjectMapper json;
    private final HerokuRetries retries;

    HerokuHttp(OkHttpClient http, ObjectMapper json, HerokuRetries retries) {
        this.http = http;
        this.json = json;
        this.retries = retries;
    }

    JsonNode call(Request request) {
        return retries.call(() -> once(request));
    }

    private JsonNode once(Request request) {
        try (Response response = http.newCall(request).execute()) {
            if ("0".equals(response.header("RateLimit-Remaining"))) {
                retries.rateLimitSpent();
            }
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw failure(response, body);
            }
            return body.isBlank() ? json.createObjectNode() : parse(body, response.code());
        } catch (IOException e) {
            throw new HerokuApiException(0, "unreachable",
                    request.url().host() + ": " + Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName()));
        }
    }

    /** Heroku's error id and message when the body holds them (a router's HTML page of a 503 does not). */
    private HerokuApiException failure(Response response, String body) {
        JsonNode node;
        try {
            node = body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException notJson) {
            node = json.createObjectNode();
        }
        String id = node.path("id").asText(node.path("error").asText("http_" + response.code()));
        String message = node.path("message").asText(node.path("error_description").asText(response.message()));
        return new HerokuApiException(response.code(), id, message, retryAfter(response.header("Retry-After"), Instant.now()));
    }

    private JsonNode parse(String body, int status) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new HerokuApiException(status, "bad_response", "Heroku answered with something that is not JSON (HTTP " + status + ")");
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
