package io.autobus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HttpDriver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One add-on on the running service, used the way a customer uses it: provisioned by Heroku,
 * databases attached on the dashboard, snapshots through the seed's REST API with the add-on key.
 */
final class Customer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;
    private final String key;
    private final DashboardSession dashboard;

    private Customer(String baseUrl, String key, DashboardSession dashboard) {
        this.baseUrl = baseUrl;
        this.key = key;
        this.dashboard = dashboard;
    }

    static Customer provision(BenchService service) throws IOException {
        var driver = new HttpDriver(service.baseUrl());
        UUID addonId = UUID.randomUUID();
        var provisioned = new HerokuPartner(driver, "autobus", BenchService.PASSWORD).provision(addonId, "travel", "bench-grant");
        if (provisioned.statusCode() != 200) {
            throw new IllegalStateException("provisioning answered " + provisioned.statusCode() + ": " + provisioned.body());
        }
        String url = JSON.readTree(provisioned.body()).path("config").path("AUTOBUS_URL").asText();
        String key = URI.create(url).getUserInfo().split(":", 2)[1];
        return new Customer(service.baseUrl(), key, DashboardSession.open(driver, addonId, Instant.now(), BenchService.SSO_SALT, "bench-app"));
    }

    String key() {
        return key;
    }

    /** Attaches a database by URL on the dashboard, as {@code NAME_URL}. */
    void attach(String name, String url) {
        var answer = dashboard.post("/dashboard/databases", Map.of("name", name, "url", url));
        if (answer.statusCode() != 302) {
            throw new IllegalStateException("attaching " + name + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    /** Moves the daily run twelve hours away, so no scheduled backup runs during the benchmarks. */
    void scheduleAwayFromNow() throws IOException, InterruptedException {
        int hour = (Instant.now().atZone(java.time.ZoneOffset.UTC).getHour() + 12) % 24;
        send("PATCH", "/api/settings", "{\"backup_hour\": " + hour + ", \"time_zone\": \"UTC\"}");
    }

    /** {@code POST /api/snapshots}: the job id to follow. */
    String requestSnapshot(String configVar) throws IOException, InterruptedException {
        return send("POST", "/api/snapshots", JSON.writeValueAsString(Map.of("database", configVar, "description", "benchmark"))).path("jid").asText();
    }

    /** Follows {@code check_snapshot} every 20 ms until the snapshot is done; its id. */
    String awaitCompleted(String jid) throws IOException, InterruptedException {
        while (true) {
            JsonNode check = send("GET", "/api/snapshots/check_snapshot?jid=" + jid, null);
            if ("failed".equals(check.path("status").asText())) {
                throw new IllegalStateException("the snapshot failed: " + check.path("error").asText());
            }
            if (check.path("completed").asBoolean()) {
                return check.path("snapshot_id").asText();
            }
            Thread.sleep(20);
        }
    }

    JsonNode snapshot(String id) throws IOException, InterruptedException {
        return send("GET", "/api/snapshots/" + id, null);
    }

    /** Waits for the verification verdict of a completed snapshot. */
    JsonNode awaitVerified(String id) throws IOException, InterruptedException {
        while (true) {
            JsonNode snapshot = snapshot(id);
            String verdict = snapshot.path("verification").path("status").asText("");
            if (verdict.equals("verified") || verdict.equals("failed") || verdict.equals("unverifiable")) {
                return snapshot;
            }
            Thread.sleep(100);
        }
    }

    void download(String url, Path file) throws IOException, InterruptedException {
        var answer = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofFile(file));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the download answered " + answer.statusCode());
        }
    }

    /** A whole restore of snapshot {@code id} into {@code target} run by the service, without a safety snapshot; followed to its end. */
    void restore(String id, String target, String appName) throws IOException, InterruptedException {
        String restoreId = send("POST", "/api/snapshots/" + id + "/restores", JSON.writeValueAsString(Map.of("target", target,
                "confirm", appName, "snapshot_first", false))).path("restore_id").asText();
        while (true) {
            JsonNode restore = send("GET", "/api/restores/" + restoreId, null);
            String status = restore.path("status").asText();
            if (status.equals("completed")) {
                return;
            }
            if (status.equals("failed")) {
                throw new IllegalStateException("the restore failed: " + restore.path("error").asText());
            }
            Thread.sleep(20);
        }
    }

    void delete(String id) throws IOException, InterruptedException {
        send("DELETE", "/api/snapshots/" + id, null);
    }

    JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
