package io.autobus.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.crypto.AgeRecipient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A customer's age key pair, made by the real {@code age-keygen} in a test's directory: the
 * service only ever sees {@link #recipient()}; the identity file stays with "the customer".
 */
public record AgeIdentity(Path file, AgeRecipient recipient) {
    public static AgeIdentity generate(Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("key-" + System.nanoTime() + ".txt");
        run(List.of("age-keygen", "-o", file.toString()));
        return new AgeIdentity(file, AgeRecipient.parse(new String(run(List.of("age-keygen", "-y", file.toString()))).strip()));
    }

    /** The private key line, {@code AGE-SECRET-KEY-1...}. */
    public String privateKey() throws IOException {
        return Files.readAllLines(file).stream().filter(line -> line.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();
    }

    /** {@code age -d -i key.txt FILE}, as the customer runs it. */
    public byte[] decrypt(Path encrypted) throws IOException, InterruptedException {
        return run(List.of("age", "-d", "-i", file.toString(), encrypted.toString()));
    }

    private static byte[] run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.getFirst() + " is needed (Debian package age; scripts/test installs it)", e);
        }
        process.getOutputStream().close();
        var errors = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                errors.complete(new String(process.getErrorStream().readAllBytes()));
            } catch (IOException e) {
                errors.complete(e.getMessage());
            }
        });
        byte[] output = process.getInputStream().readAllBytes();
        int exit = process.waitFor();
        assertThat(exit).as(command + ": " + errors.join()).isZero();
        return output;
    }
}
