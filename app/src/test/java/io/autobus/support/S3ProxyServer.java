package io.autobus.support;

import static org.awaitility.Awaitility.await;

import io.autobus.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3Proxy, a real S3-compatible server, as a child process: one per test JVM (it takes seconds
 * to start), stopped when the JVM exits. Its transient (in-memory) backend accepts the
 * server-side-encryption header; the filesystem backend refuses it.
 */
public final class S3ProxyServer {
    public static final String IDENTITY = "s3proxy-test-identity";
    public static final String CREDENTIAL = "s3proxy-test-credential";
    private static S3ProxyServer shared;

    private final URI endpoint;
    private final S3Client client;

    private S3ProxyServer(URI endpoint) {
        this.endpoint = endpoint;
        this.client = clientBuilder("us-east-1").build();
    }

    /** The running server, started on first use. */
    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings pointing both continents' buckets at this server, with fresh bucket names. */
    public Settings.S3Settings settings(String bucketUs, String bucketEu) {
        return new Settings.S3Settings(bucketUs, "us-east-1", bucketEu, "eu-west-1", Optional.of(endpoint),
                Optional.of(IDENTITY), Optional.of(CREDENTIAL), Settings.S3Settings.UPLOAD_MEMORY_MB,
                Settings.S3Settings.UPLOAD_PART_MB);
    }

    /** Creates a bucket with a unique name starting with {@code prefix}. */
    public String createBucket(String prefix) {
        String bucket = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(create -> create.bucket(bucket));
        return bucket;
    }

    /**
     * Deletes the bucket and everything in it. The transient backend keeps every object in S3Proxy's heap for the test
     * JVM's life: tests that store tens of MiB give the room back (with 512 MiB, S3Proxy once ran out of it mid-suite).
     */
    public void deleteBucket(String bucket) {
        // A part still being received when its upload was aborted can land after the abort (S3 says an abort may
        // need repeating): empty the bucket again until it can be deleted. Past that, leave it: it is only room.
        try {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsMatching(e -> e instanceof S3Exception s3 && s3.statusCode() == 409)
                    .until(() -> {
                        emptyBucket(bucket);
                        client.deleteBucket(delete -> delete.bucket(bucket));
                        return true;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.err.println("S3Proxy: bucket " + bucket + " left behind, still not empty after 10 s");
        }
    }

    private void emptyBucket(String bucket) {
        for (var upload : client.listMultipartUploads(list -> list.bucket(bucket)).uploads()) {
            client.abortMultipartUpload(abort -> abort.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        }
        for (var object : client.listObjectsV2Paginator(list -> list.bucket(bucket)).contents()) {
            client.deleteObject(delete -> delete.bucket(bucket).key(object.key()));
        }
    }

    /** A client for assertions (HeadObject, ListMultipartUploads...). */
    public S3Client client() {
        return client;
    }

    /** A builder configured for this server, for tests that add interceptors. */
    public S3ClientBuilder clientBuilder(String region) {
        return S3Client.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }

    private static S3ProxyServer start() {
        try {
            Path jar = Path.of(System.getProperty("s3proxy.jar", "target/test-tools/s3proxy.jar")).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("S3Proxy's jar is missing at " + jar + " (mvn test copies it there)");
            }
            int port = freePort();
            Path dir = Files.createTempDirectory("s3proxy");
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + IDENTITY,
                    "s3proxy.credential=" + CREDENTIAL,
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=transient",
                    "jclouds.identity=unused",
                    "jclouds.credential=unused",
                    ""));
            Path log = dir.resolve("s3proxy.log");
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + System.getProperty("s3proxy.heap", "1g"), "-jar", jar.toString(), "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("LOG_LEVEL", "warn");
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            await("S3Proxy listening on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
                        }
                        return answers(port);
                    });
            return new S3ProxyServer(URI.create("http://127.0.0.1:" + port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Proxy", e);
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
