package io.autobus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON fixtures of Heroku's documented shapes, under {@code src/test/resources/heroku/}. */
public final class Fixtures {
    /** The ids the fixtures are written with; tests substitute their own. */
    public static final String ADDON_ID = "01234567-89ab-cdef-0123-456789abcdef";
    public static final String APP_ID = "9f2c7b3a-4d1e-4c8a-9a6b-2f1e0d3c4b5a";
    public static final String APP_NAME = "sharp-mountain-4005";

    private Fixtures() {
    }

    public static String read(String path) {
        try (var in = Fixtures.class.getResourceAsStream("/heroku/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture heroku/" + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
