package io.autobus.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What we encrypt to a customer's key opens with the real {@code age} tool (Debian's age) and
 * that customer's identity alone; a malformed or private key is refused with a clear message.
 */
class AgeOutputStreamTest {
    @TempDir
    Path dir;

    @Test
    void streams_of_every_chunk_boundary_decrypt_with_age_and_the_identity_byte_for_byte() throws Exception {
        Path identity = dir.resolve("key.txt");
        run(List.of("age-keygen", "-o", identity.toString()));
        var recipient = AgeRecipient.parse(run(List.of("age-keygen", "-y", identity.toString())).strip());
        var random = new Random(20);
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 1_000_003}) {
            byte[] plaintext = new byte[size];
            random.nextBytes(plaintext);
            var encrypted = new ByteArrayOutputStream();
            try (var age = new AgeOutputStream(encrypted, recipient)) {
                for (int offset = 0; offset < size; offset += 7_919) { // writes that straddle the chunks
                    age.write(plaintext, offset, Math.min(7_919, size - offset));
                }
            }
            Path file = dir.resolve("snapshot-" + size + ".dump.age");
            Files.write(file, encrypted.toByteArray());

            var age = new ProcessBuilder("age", "-d", "-i", identity.toString(), file.toString()).start();
            byte[] decrypted = age.getInputStream().readAllBytes();
            String errors = new String(age.getErrorStream().readAllBytes());

            assertThat(age.waitFor()).as(errors).isZero();
            assertThat(decrypted).as(size + " bytes").isEqualTo(plaintext);
            assertThat(new String(encrypted.toByteArray(), 0, 32, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .startsWith("age-encryption.org/v1\n-> X25519 ");
        }
    }

    @Test
    void another_identity_cannot_open_it() throws Exception {
        Path ours = dir.resolve("ours.txt");
        Path theirs = dir.resolve("theirs.txt");
        run(List.of("age-keygen", "-o", ours.toString()));
        run(List.of("age-keygen", "-o", theirs.toString()));
        var encrypted = new ByteArrayOutputStream();
        try (var age = new AgeOutputStream(encrypted, AgeRecipient.parse(run(List.of("age-keygen", "-y", theirs.toString())).strip()))) {
            age.write("secret rows".getBytes());
        }
        Path file = dir.resolve("x.age");
        Files.write(file, encrypted.toByteArray());

        var process = new ProcessBuilder("age", "-d", "-i", ours.toString(), file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).isNotZero();
        assertThat(output).contains("no identity matched");
    }

    @Test
    void a_malformed_public_key_or_a_private_key_is_refused_with_what_to_paste() throws Exception {
        Path identity = dir.resolve("key.txt");
        run(List.of("age-keygen", "-o", identity.toString()));
        String good = run(List.of("age-keygen", "-y", identity.toString())).strip();
        String secret = Files.readAllLines(identity).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();
        char last = good.charAt(good.length() - 1);
        String typo = good.substring(0, good.length() - 1) + (last == 'q' ? 'p' : 'q');

        assertThat(AgeRecipient.parse("  " + good + "\n").text()).isEqualTo(good);
        assertThatThrownBy(() -> AgeRecipient.parse(secret)).hasMessageContaining("This is an age private key");
        assertThatThrownBy(() -> AgeRecipient.parse(typo)).hasMessageContaining("has a typo");
        assertThatThrownBy(() -> AgeRecipient.parse("ssh-ed25519 AAAAC3Nza")).hasMessageContaining("not SSH or PGP keys");
        assertThatThrownBy(() -> AgeRecipient.parse("age1short")).hasMessageContaining("62 characters");
        assertThatThrownBy(() -> AgeRecipient.parse(good.toUpperCase())).hasMessageContaining("starts with \"age1\"");
    }

    private static String run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(command.getFirst() + " is needed (Debian package age; scripts/test installs it)", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(command + ": " + output).isZero();
        return output;
    }
}
