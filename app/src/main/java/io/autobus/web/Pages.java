package io.autobus.web;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Renders the dashboard's Pebble templates (under {@code templates/}, HTML-escaped by default). */
public final class Pages {
    private final PebbleEngine engine;

    public Pages() {
        var loader = new ClasspathLoader();
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
                .extension(new Formats()).build();
    }

    public void render(Context ctx, int status, String template, Map<String, Object> model) {
        var writer = new StringWriter();
        try {
            engine.getTemplate(template).evaluate(writer, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).html(writer.toString());
    }

    public void error(Context ctx, int status, String message) {
        var model = new HashMap<String, Object>();
        model.put("status", status);
        model.put("message", message);
        render(ctx, status, "error", model);
    }
}
