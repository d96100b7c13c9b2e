package io.autobus.storage;

import static io.autobus.storage.TestContent.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Four uploads past their part 2,000 at once (the worker's default threads, each on a dump over
 * 140 GB), simulated with parts of a few MiB (S3's least is 5 MiB): they share one budget, never hold more than it, wait
 * for each other instead of failing, and store every byte.
 */
@org.junit.jupiter.api.Timeout(120) // a budget that leaked would make the next upload wait for ever
class UploadMemoryBudgetTest {
    private static final S3ProxyServer PROXY = S3ProxyServer.shared();
    private static final String REGION = "eu-west-1";
    private static final int MIB = TestContent.MIB;
    /** 2 small parts, 2 middle ones, then the largest: an upload of 38 MiB ends in two of those. */
    private static final PartSizes TINY = new PartSizes(5 * MIB, 2, 6 * MIB, 2, 8 * MIB);

    @Test
    void four_uploads_in_their_largest_parts_share_one_budget_and_store_every_byte() throws Exception {
        var memory = new UploadMemory(12 * MIB, UploadMemory.LONGEST_WAIT); // one largest part and a half: the four take turns
        String bucket = PROXY.createBucket("budget");
        var settings = PROXY.settings(bucket, bucket);
        try (var store = new S3SnapshotStore(PROXY.clientBuilder(REGION).build(), S3SnapshotStore.presigner(settings, REGION), bucket,
                REGION, TINY, memory)) {
            var contents = new ArrayList<byte[]>();
            var uploads = new ArrayList<CompletableFuture<Void>>();
            for (int i = 0; i < 4; i++) {
                byte[] content = random(38 * MIB + i);
                contents.add(content);
                String key = "upload-" + i;
                uploads.add(CompletableFuture.runAsync(() -> {
                    try {
                        store.put(key, new ByteArrayInputStream(content));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
            }
            CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);

            assertThat(memory.peakLentBytes()).as("never more than the budget at once").isLessThanOrEqualTo(memory.budgetBytes())
                    .as("the largest parts were reached").isGreaterThanOrEqualTo(8 * MIB);
            assertThat(memory.existingBytes()).isLessThanOrEqualTo(memory.budgetBytes());
            assertThat(store.peakPartBufferBytes()).as("one upload alone could have held three largest parts").isLessThan(3L * 8 * MIB);
            for (int i = 0; i < contents.size(); i++) {
                try (var stored = store.open("upload-" + i)) {
                    assertThat(stored.readAllBytes()).isEqualTo(contents.get(i));
                }
            }
        } finally {
            PROXY.deleteBucket(bucket);
        }
    }

    @Test
    void an_upload_whose_dump_fails_gives_its_buffers_back_to_the_budget() throws Exception {
        var memory = new UploadMemory(8 * MIB, UploadMemory.LONGEST_WAIT);
        String bucket = PROXY.createBucket("budget");
        var settings = PROXY.settings(bucket, bucket);
        try (var store = new S3SnapshotStore(PROXY.clientBuilder(REGION).build(), S3SnapshotStore.presigner(settings, REGION), bucket,
                REGION, TINY, memory)) {
            for (int attempt = 0; attempt < 3; attempt++) {
                var failing = TestContent.failingAfter(20 * MIB, new java.io.IOException("pg_dump died"));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put("failed", failing)).hasMessageContaining("pg_dump died");
            }
            store.put("after", new ByteArrayInputStream(random(30 * MIB)));

            assertThat(memory.existingBytes()).isLessThanOrEqualTo(memory.budgetBytes());
        } finally {
            PROXY.deleteBucket(bucket);
        }
    }
}
