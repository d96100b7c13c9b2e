package io.autobus.http;

import io.javalin.http.HttpResponseException;
import java.util.Map;

/** A refusal whose page needs a heading of its own rather than its status's usual one (a bad download link is no login). */
public final class TitledResponse extends HttpResponseException {
    private final String title;

    public TitledResponse(int status, String title, String message) {
        super(status, message, Map.of());
        this.title = title;
    }

    public String title() {
        return title;
    }
}
