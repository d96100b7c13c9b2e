package io.autobus.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.AddonRepository;
import io.autobus.crypto.SecretBox;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The release-phase command the README documents (app/src/main/resources/autobus-snapshot-before-release), run as a release dyno would. */
class ReleasePhaseScriptTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Path.of("src", "main", "resources", "autobus-snapshot-before-release").toAbsolutePath().normalize();
    private final TestApp app = TestApp.shared();

    private record Ran(int exit, String output) {
    }

    @Test
    void it_returns_0_once_the_snapshot_is_stored_described_before_the_release() throws Exception {
        String url = addonWith(TestDatabase.create("release_phase"));

        Ran ran = run(Map.of("AUTOBUS_URL", url, "HEROKU_RELEASE_VERSION", "v44"));

        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.output()).contains("stored");
        JsonNode list = JSON.readTree(app.http.send("GET", "/api/snapshots", null, Map.of("Authorization", basic(url))).body());
        assertThat(list).singleElement().satisfies(s -> {
            assertThat(s.path("description").asText()).isEqualTo("before v44");
            assertThat(s.path("status").asText()).isEqualTo("completed");
            assertThat(s.path("kind").asText()).isEqualTo("Manual");
        });
    }

    @Test
    void it_fails_the_release_when_the_database_cannot_be_dumped_unless_told_the_snapshot_is_optional() throws Exception {
        String url = addonWith("postgres://postgres@127.0.0.1:5432/no_such_database_" + UUID.randomUUID().toString().substring(0, 8));

        Ran failed = run(Map.of("AUTOBUS_URL", url));
        Ran optional = run(Map.of("AUTOBUS_URL", url, "AUTOBUS_SNAPSHOT_OPTIONAL", "true"));
        Ran unset = run(Map.of());

        assertThat(failed.exit()).as(failed.output()).isNotZero();
        assertThat(failed.output()).contains("the snapshot failed").contains("no_such_database");
        assertThat(optional.exit()).as(optional.output()).isZero();
        assertThat(optional.output()).contains("releasing anyway");
        assertThat(unset.exit()).isNotZero();
        assertThat(unset.output()).contains("AUTOBUS_URL is not set");
    }

    /** A provisioned add-on with {@code database} attached; its AUTOBUS_URL as the release dyno has it, pointing here. */
    private String addonWith(String database) throws Exception {
        UUID id = UUID.randomUUID();
        var provision = HerokuPartner.of(app).provision(id, "travel", "grant-" + id);
        String key = JSON.readTree(provision.body()).path("config").path("AUTOBUS_URL").asText().replaceAll("^https://addon:([^@]+)@.*$", "$1");
        app.attachedEarlier(id, "DATABASE", database); // one case is a database that is gone
        return app.http.baseUrl().replace("http://", "http://addon:" + key + "@") + "/";
    }

    private static String basic(String url) {
        String userInfo = java.net.URI.create(url).getUserInfo();
        return "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Ran run(Map<String, String> environment) throws Exception {
        var builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().put("AUTOBUS_SNAPSHOT_POLL", "0.2");
        builder.environment().putAll(environment);
        var process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), output);
    }
}
