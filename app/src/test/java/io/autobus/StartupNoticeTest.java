package io.autobus;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The banner a developer reads on a fresh start: plain text, and how to reach the dashboard. */
class StartupNoticeTest {
    @TempDir
    Path home;

    @Test
    void a_fresh_install_s_banner_is_plain_text_and_says_how_to_sign_in_to_the_same_addon_it_provisions() {
        Settings settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString()));

        String banner = print(settings, 5000);

        assertThat(banner).as("no escape codes or other control characters").doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f]")
                .startsWith("\nAutobus is running on http://localhost:5000.");
        assertThat(banner).contains("signed in through Heroku SSO (on Heroku: heroku addons:open autobus)")
                .contains("http://localhost:5000/sso/login").contains(":" + settings.ssoSalt() + ":$T");
        var ids = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").matcher(banner).results()
                .map(m -> m.group()).distinct().toList();
        assertThat(ids).as("the SSO recipe signs in to the add-on the provision recipe creates").hasSize(1);
    }

    @Test
    void a_worker_only_process_says_nothing_about_signing_in() {
        String banner = print(Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString())), 0);

        assertThat(banner).contains("(worker only)").doesNotContain("sso/login");
    }

    private static String print(Settings settings, int port) {
        var out = new ByteArrayOutputStream();
        StartupNotice.print(settings, port, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
