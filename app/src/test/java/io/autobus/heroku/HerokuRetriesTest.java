package io.autobus.heroku;

import static io.autobus.support.FakeHerokuPlatform.AUTOBUS_ACCOUNT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.config.Settings;
import io.autobus.support.FakeHerokuIdentity;
import io.autobus.support.FakeHerokuPlatform;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Heroku hiccup is ridden out: 429, 5xx and no answer are tried again after a wait (as long as Heroku asks), refusals are not. */
class HerokuRetriesTest {
    /** Waits of milliseconds, but a refill long enough to see; Retry-After is Heroku's to set. */
    private static final HerokuRetries.Limits QUICK = new HerokuRetries.Limits(4, Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofSeconds(10), Duration.ofMillis(400), Duration.ofSeconds(30));
    private static final String VARS = "{\"DATABASE_URL\": \"postgres://u:p@db.example.com:5432/shop\"}";

    private final FakeHerokuPlatform platform = new FakeHerokuPlatform();
    private final FakeHerokuIdentity identity = new FakeHerokuIdentity();
    private final UUID appId = UUID.randomUUID();
    @TempDir
    private Path home;

    @AfterEach
    void closeFakes() {
        platform.close();
        identity.close();
    }

    @Test
    void a_503_then_an_answer_reads_the_config_vars_on_the_second_try() {
        platform.givenConfigVarsAfter(appId, FakeHerokuPlatform.unavailable(), VARS);

        var vars = clients(platform.url()).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString());

        assertThat(vars).containsEntry("DATABASE_URL", "postgres://u:p@db.example.com:5432/shop");
        assertThat(platform.configVarReadsOf(appId)).isEqualTo(2);
    }

    @Test
    void a_429_asking_to_wait_a_second_is_not_tried_again_before_that_second() {
        platform.givenConfigVarsAfter(appId, FakeHerokuPlatform.rateLimited("1"), VARS);

        clients(platform.url()).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString());

        List<Instant> reads = platform.configVarReadTimesOf(appId);
        assertThat(reads).hasSize(2);
        assertThat(Duration.between(reads.get(0), reads.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void once_heroku_says_the_rate_limit_is_spent_the_next_call_waits_for_its_refill() {
        platform.givenConfigVarsSpendingTheRateLimit(appId, VARS);
        var client = clients(platform.url()).platform();

        client.configVars(AUTOBUS_ACCOUNT_KEY, appId.toString());
        client.configVars(AUTOBUS_ACCOUNT_KEY, appId.toString());

        List<Instant> reads = platform.configVarReadTimesOf(appId);
        assertThat(Duration.between(reads.get(0), reads.get(1))).isGreaterThanOrEqualTo(QUICK.refill());
    }

    @ParameterizedTest
    @CsvSource({"401, platform/error-unauthorized.json, Invalid credentials provided.",
            "404, platform/error-not-found.json, Couldn't find that app."})
    void a_refusal_is_not_tried_again(int status, String fixture, String herokuSays) {
        platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.error(status, fixture));

        assertThatThrownBy(() -> clients(platform.url()).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString()))
                .isInstanceOfSatisfying(HerokuApiException.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessage(herokuSays);
        assertThat(platform.configVarReadsOf(appId)).isEqualTo(1);
    }

    @Test
    void heroku_failing_every_try_is_given_up_on_after_four_with_a_message_that_says_so() {
        platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.unavailable());

        assertThatThrownBy(() -> clients(platform.url()).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString()))
                .isInstanceOfSatisfying(HerokuApiException.class, e -> assertThat(e.transientFailure()).isTrue())
                .hasMessageMatching("Heroku's Platform API answered 503 Service Unavailable 4 times over \\d+\\.\\d s"
                        + " \\(The API is temporarily unavailable\\. Please try again later\\.\\)");
        assertThat(platform.configVarReadsOf(appId)).isEqualTo(4);
    }

    @Test
    void a_wait_longer_than_autobus_gives_heroku_is_not_waited_out() {
        platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.rateLimited("3600"));

        assertThatThrownBy(() -> clients(platform.url()).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString()))
                .hasMessageStartingWith("Heroku's Platform API answered 429 Too Many Requests, asking to wait 3600 s"
                        + " (Your account reached the API rate limit Please wait");
        assertThat(platform.configVarReadsOf(appId)).isEqualTo(1);
    }

    @Test
    void heroku_out_of_reach_is_tried_four_times_and_said_to_be_out_of_reach() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> clients("http://127.0.0.1:" + closedPort).platform().configVars(AUTOBUS_ACCOUNT_KEY, appId.toString()))
                .hasMessageStartingWith("Heroku's Platform API could not be reached 4 times over ");
    }

    @Test
    void the_grant_is_exchanged_on_the_second_try_when_the_oauth_server_answered_503() {
        identity.givenGrantAfter(FakeHerokuPlatform.unavailable(), "grant-" + appId, "access-" + appId, "refresh-" + appId, 28800);

        var tokens = clients(platform.url()).identity().exchangeGrant("grant-" + appId);

        assertThat(tokens.accessToken()).isEqualTo("access-" + appId);
        assertThat(identity.exchangesOf("grant-" + appId)).isEqualTo(2);
    }

    @Test
    void retry_after_is_read_in_seconds_or_as_an_http_date() {
        Instant now = Instant.parse("2026-11-30T07:27:30Z");

        assertThat(HerokuHttp.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(HerokuHttp.retryAfter("Mon, 30 Nov 2026 07:28:00 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(HerokuHttp.retryAfter("Mon, 30 Nov 2026 07:00:00 GMT", now)).as("a date past").isEqualTo(Duration.ZERO);
        assertThat(HerokuHttp.retryAfter("soon", now)).isNull();
    }

    private HerokuClients clients(String platformUrl) {
        var settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "HEROKU_API_URL", platformUrl,
                "HEROKU_ID_URL", identity.url(), "HEROKU_OAUTH_SECRET", FakeHerokuIdentity.CLIENT_SECRET));
        return HerokuClients.create(settings, new ObjectMapper(), QUICK);
    }
}
