package io.autobus.storage;

import static io.autobus.storage.TestContent.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PartSizesTest {
    private final PartSizes sizes = PartSizes.STANDARD;

    @Test
    void the_first_2000_parts_are_8_mib_the_next_2000_64_mib_and_the_rest_160_mib() {
        assertThat(sizes.sizeOf(1)).isEqualTo(8 * MIB);
        assertThat(sizes.sizeOf(2000)).isEqualTo(8 * MIB);
        assertThat(sizes.sizeOf(2001)).isEqualTo(64 * MIB);
        assertThat(sizes.sizeOf(4000)).isEqualTo(64 * MIB);
        assertThat(sizes.sizeOf(4001)).isEqualTo(160 * MIB);
        assertThat(sizes.sizeOf(10_000)).isEqualTo(160 * MIB);
        assertThat(sizes.largest()).isEqualTo(160 * MIB);
    }

    @Test
    void ten_thousand_parts_hold_more_than_1_tb() {
        long sum = IntStream.rangeClosed(1, PartSizes.MAX_PARTS).mapToLong(sizes::sizeOf).sum();

        assertThat(sizes.capacity()).isEqualTo(sum);
        assertThat(sum).isGreaterThan(1024L * 1024 * 1024 * 1024);
    }

    @Test
    void dumps_up_to_15_gib_only_ever_need_8_mib_buffers() {
        long fifteenGib = 15L * 1024 * MIB;
        int partsNeeded = (int) ((fifteenGib + 8 * MIB - 1) / (8 * MIB));

        assertThat(IntStream.rangeClosed(1, partsNeeded).map(sizes::sizeOf).distinct()).containsExactly(8 * MIB);
    }

    @Test
    void part_numbers_outside_what_s3_allows_are_refused() {
        assertThatThrownBy(() -> sizes.sizeOf(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sizes.sizeOf(10_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_larger_smallest_part_raises_every_size_below_it_and_keeps_those_above() {
        var from32 = PartSizes.startingAt(32);
        var from160 = PartSizes.startingAt(160);

        assertThat(from32.sizeOf(1)).isEqualTo(32 * MIB);
        assertThat(from32.sizeOf(2001)).isEqualTo(64 * MIB);
        assertThat(from32.sizeOf(4001)).isEqualTo(160 * MIB);
        assertThat(IntStream.of(1, 2000, 2001, 4000, 4001, 10_000).map(from160::sizeOf).distinct()).containsExactly(160 * MIB);
        assertThat(from160.capacity()).isGreaterThan(sizes.capacity());
    }
}
