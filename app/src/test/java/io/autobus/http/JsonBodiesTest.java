package io.autobus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.UnprocessableContentResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request bodies bound to records: strict for our API, lenient about unknown fields for Heroku's, one 422 per problem naming the field. */
class JsonBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonBodies bodies = new JsonBodies(JSON);

    record Grant(@JsonProperty("code") String code) {
        Grant {
            if (code == null || code.isBlank()) {
                throw new UnprocessableContentResponse("grant.code is required.");
            }
        }
    }

    record Request(@JsonProperty("name") String name, @JsonProperty("count") Integer count,
                   @JsonProperty("tags") @JsonPropertyDescription("labels, like [\"nightly\"]") List<String> tags,
                   @JsonProperty("grant") Grant grant) {
    }

    @JsonBodies.NullsAllowed
    record Switch(@JsonProperty(value = "key", required = true) @JsonPropertyDescription("a key, or null to switch off") String key) {
    }

    @Test
    void a_strict_body_names_the_wrong_field_the_unknown_one_and_the_null_one() {
        assertRefused(() -> bodies.bind(json("{\"name\": 5}"), Request.class), "name must be a string.");
        assertRefused(() -> bodies.bind(json("{\"count\": \"5\"}"), Request.class), "count must be a whole number.");
        assertRefused(() -> bodies.bind(json("{\"tags\": \"a\"}"), Request.class), "tags must be a list: labels, like [\"nightly\"].");
        assertRefused(() -> bodies.bind(json("{\"grant\": {\"code\": 7}}"), Request.class), "grant.code must be a string.");
        assertRefused(() -> bodies.bind(json("{\"nmae\": \"x\"}"), Request.class),
                "nmae is not a field of this request; the fields are count, grant, name, tags.");
        assertRefused(() -> bodies.bind(json("{\"name\": null}"), Request.class), "name must not be null.");
    }

    @Test
    void what_a_record_s_constructor_refuses_is_answered_as_the_record_says() {
        assertRefused(() -> bodies.bind(json("{\"grant\": {\"code\": \" \"}}"), Request.class), "grant.code is required.");
        assertRefused(() -> bodies.bindIgnoringUnknown(json("{\"grant\": {}}"), Request.class), "grant.code is required.");
    }

    @Test
    void a_lenient_body_ignores_fields_it_does_not_know_and_nulls_but_not_wrong_types() {
        var bound = bodies.bindIgnoringUnknown(json("{\"name\": \"n\", \"options\": {\"a\": [1]}, \"log_input_url\": null, "
                + "\"grant\": {\"code\": \"c\", \"expires_at\": \"soon\"}, \"count\": null}"), Request.class);

        assertThat(bound).isEqualTo(new Request("n", null, null, new Grant("c")));
        assertRefused(() -> bodies.bindIgnoringUnknown(json("{\"name\": 5, \"extra\": 1}"), Request.class), "name must be a string.");
        assertRefused(() -> bodies.bindIgnoringUnknown(json("{\"grant\": \"c\"}"), Request.class), "grant must be a JSON object.");
    }

    @Test
    void a_required_field_of_a_record_that_allows_nulls_tells_absent_from_null() {
        assertThat(bodies.bind(json("{\"key\": null}"), Switch.class).key()).isNull();
        assertThat(bodies.bind(json("{\"key\": \"k\"}"), Switch.class).key()).isEqualTo("k");
        assertRefused(() -> bodies.bind(json("{}"), Switch.class), "key is required: a key, or null to switch off.");
    }

    @Test
    void the_field_names_are_the_json_ones() {
        assertThat(JsonBodies.fieldNames(Request.class)).containsExactly("name", "count", "tags", "grant");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void assertRefused(Runnable binding, String message) {
        assertThatThrownBy(binding::run).isInstanceOf(UnprocessableContentResponse.class).hasMessage(message);
    }
}
