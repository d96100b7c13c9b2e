package io.autobus.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Sends one request to Heroku and reads its JSON answer, turning failures into {@link HerokuApiException}. */
final class HerokuHttp {
    private final OkHttpClient http;
    private final ObjectMapper json;

    HerokuHttp(OkHttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    JsonNode call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            JsonNode node = body.isBlank() ? json.createObjectNode() : parse(body, response.code());
            if (!response.isSuccessful()) {
                String id = node.path("id").asText(node.path("error").asText("http_" + response.code()));
                String message = node.path("message").asText(node.path("error_description").asText(response.message()));
                throw new HerokuApiException(response.code(), id, message);
            }
            return node;
        } catch (IOException e) {
            throw new HerokuApiException(0, "unreachable", request.url().host() + " could not be reached: " + e.getMessage());
        }
    }

    private JsonNode parse(String body, int status) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new HerokuApiException(status, "bad_response", "Heroku answered with something that is not JSON (HTTP " + status + ")");
        }
    }
}
