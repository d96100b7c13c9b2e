package io.autobus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/** Talks to the running service over real HTTP, as Heroku, a browser or curl would. */
public class HttpDriver {
    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public HttpDriver(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request with a JSON body (or none when {@code json} is null) and optional headers. */
    public HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) {
        return sendOnce(method, path, json, headers);
    }

    /** The request itself, on this driver's client. */
    public final HttpResponse<String> sendOnce(String method, String path, String json, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return execute(request.build());
    }

    /** A browser-style form POST. */
    public HttpResponse<String> postForm(String path, Map<String, String> form) {
        return postFormWithCookie(path, form, null);
    }

    /** A browser-style form POST within a session. */
    public HttpResponse<String> postFormWithCookie(String path, Map<String, String> form, String cookie) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return execute(request.build());
    }

    /** A GET with the given Cookie header (may be null). */
    public HttpResponse<String> get(String path, String cookie) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return execute(request.build());
    }

    /** A GET whose answer is a file (a download), with optional headers. */
    public HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> execute(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
