package io.autobus.storage;

import io.javalin.Javalin;
import java.net.URI;

/** A web server with only the local download route, as App registers it. */
final class DownloadServer implements AutoCloseable {
    private final Javalin web;

    private DownloadServer(Javalin web) {
        this.web = web;
    }

    /** On {@code port}, or a free one when 0. */
    static DownloadServer start(LocalDownloads downloads, int port) {
        return new DownloadServer(Javalin.create(config -> {
            config.jetty.port = port;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.get("/downloads/{token}", downloads::serve);
        }).start());
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + web.port());
    }

    @Override
    public void close() {
        web.stop();
    }
}
