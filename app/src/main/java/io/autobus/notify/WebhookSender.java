package io.autobus.notify;

import io.autobus.net.CustomerAddresses;
import io.autobus.net.CustomerAddresses.AddressNotAllowedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs a notification as JSON to the customer's URL, signed: {@code X-Autobus-Signature:
 * sha256=<hex HMAC-SHA256 of the body with the add-on's webhook secret>}. The URL is the
 * customer's: under {@code AUTOBUS_PRIVATE_NETWORKS=deny} it must be https and its host passes
 * {@link CustomerAddresses}; the host is resolved once and the request goes to those addresses
 * only, with no redirect and no proxy.
 */
public final class WebhookSender {
    public static final String SIGNATURE_HEADER = "X-Autobus-Signature";
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final CustomerAddresses addresses;
    private final OkHttpClient http;

    public WebhookSender(CustomerAddresses addresses) {
        this.addresses = addresses;
        this.http = new OkHttpClient.Builder()
                .proxy(Proxy.NO_PROXY) // a proxy would resolve and connect past the rule
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(15))
                .build();
    }

    public void send(URI url, String event, String json, String secret) throws IOException {
        HttpUrl target = HttpUrl.parse(url.toString());
        if (target == null) {
            throw new IOException("the webhook URL is not an http(s) URL");
        }
        if (addresses.denyPrivate() && !target.isHttps()) {
            throw new IOException("the webhook must be an https URL (AUTOBUS_PRIVATE_NETWORKS=deny)");
        }
        List<InetAddress> checked;
        try {
            // Also covers IP literals, which OkHttp connects to without asking its Dns.
            checked = addresses.resolveAll(target.host());
        } catch (AddressNotAllowedException e) {
            throw new IOException(e.getMessage(), e);
        }
        var pinned = http.newBuilder().dns(host -> {
            if (!host.equals(target.host())) {
                throw new UnknownHostException(host + " is not the webhook's host");
            }
            return checked;
        }).build();
        var request = new Request.Builder().url(target)
                .header("User-Agent", "Autobus-Webhook")
                .header("X-Autobus-Event", event)
                .header(SIGNATURE_HEADER, "sha256=" + signature(json, secret))
                .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), JSON))
                .build();
        try (var response = pinned.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new IOException("the webhook answered HTTP " + response.code());
            }
        }
    }

    public static String signature(String body, String secret) {
        return HexFormat.of().formatHex(io.autobus.crypto.Tokens.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)));
    }
}
