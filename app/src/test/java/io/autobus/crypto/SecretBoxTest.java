package io.autobus.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private final SecretBox box = new SecretBox("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void opens_what_it_sealed_and_never_seals_the_same_way_twice() {
        byte[] first = box.seal("access-token:1", "s3cr3t-token");
        byte[] second = box.seal("access-token:1", "s3cr3t-token");

        assertThat(box.open("access-token:1", first)).isEqualTo("s3cr3t-token");
        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
    }

    @Test
    void refuses_a_value_sealed_for_another_purpose_altered_or_sealed_with_another_key() {
        byte[] sealed = box.seal("access-token:1", "s3cr3t-token");
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;

        assertThatThrownBy(() -> box.open("refresh-token:1", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> box.open("access-token:1", altered)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(new byte[32]).open("access-token:1", sealed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AUTOBUS_SECRET_KEY");
    }
}
