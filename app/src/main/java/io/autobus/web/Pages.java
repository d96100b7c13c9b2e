package io.autobus.web;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the dashboard's Pebble templates (under {@code templates/}, HTML-escaped by default); a
 * signed-in page that answers well also shows the message the last action left ({@link Flash}).
 */
public final class Pages {
    private final PebbleEngine engine;
    private final Flash flash;

    public Pages(Flash flash) {
        this.flash = flash;
        var loader = new ClasspathLoader();
        loader.setPrefix("templates");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
                .extension(new Formats()).build();
    }

    public void render(Context ctx, int status, String template, Map<String, Object> model) {
        var page = new HashMap<>(model);
        if (status < 400 && page.get("csrf") instanceof String csrf && !csrf.isEmpty() && !page.containsKey("flash")) {
            flash.take(ctx).ifPresent(message -> page.put("flash", message));
        }
        page.putIfAbsent("refused", Refused.NONE);
        var writer = new StringWriter();
        try {
            engine.getTemplate(template).evaluate(writer, page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.status(status).html(writer.toString());
    }
}
