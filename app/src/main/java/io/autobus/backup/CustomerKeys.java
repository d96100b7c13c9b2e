package io.autobus.backup;

import io.autobus.addon.AddonRepository;
import io.autobus.crypto.AgeOutputStream;
import io.autobus.crypto.AgeRecipient;
import io.autobus.crypto.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * The customer's own encryption key (opt-in per add-on): the age public key snapshots are
 * encrypted to from then on, and the sample that proves the customer holds its private key
 * before they rely on it. Only public keys reach us; the sample's phrase is kept as a hash.
 */
public final class CustomerKeys {
    /** What the customer saves the sample as, and decrypts with {@code age -d -i key.txt autobus-sample.txt.age}. */
    public static final String SAMPLE_FILE = "autobus-sample.txt.age";
    private static final String WORDS = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AddonRepository addons;

    public CustomerKeys(AddonRepository addons) {
        this.addons = addons;
    }

    /** The key later snapshots are encrypted to; empty when they are stored as the tool wrote them. */
    public Optional<String> recipient(UUID addonId) {
        return addons.encryptionRecipient(addonId);
    }

    /**
     * Encrypts the add-on's later snapshots to {@code recipient}; earlier ones stay as they are.
     *
     * @param phrase the phrase from the last sample encrypted to this recipient, or null to skip that proof (the API)
     * @throws IllegalArgumentException with a message for the customer: a malformed key, or a phrase that does not match
     */
    public AgeRecipient use(UUID addonId, String recipient, String phrase) {
        AgeRecipient parsed = AgeRecipient.parse(recipient);
        if (phrase != null && !phraseMatches(addonId, parsed, phrase)) {
            throw new IllegalArgumentException("That is not the phrase in the last test file for this key: download the test file"
                    + " again, decrypt it with age -d -i key.txt " + SAMPLE_FILE + " and paste the phrase it shows.");
        }
        addons.setEncryptionRecipient(addonId, parsed.text());
        return parsed;
    }

    /** Later snapshots are stored unencrypted again; the ones encrypted so far stay encrypted. */
    public void stop(UUID addonId) {
        addons.setEncryptionRecipient(addonId, null);
    }

    /**
     * A small file encrypted to {@code recipient} holding a one-time phrase: the customer decrypts it
     * and sends the phrase back to prove they hold the private key. A new sample replaces the last.
     *
     * @throws IllegalArgumentException with a message for the customer when the key is malformed
     */
    public byte[] sample(UUID addonId, String recipient) {
        AgeRecipient parsed = AgeRecipient.parse(recipient);
        String phrase = phrase();
        addons.setEncryptionSampleHash(addonId, hash(parsed, phrase));
        String text = "Autobus: if you can read this, your private key opens what Autobus encrypts to " + parsed.text() + ".\n"
                + "Paste this phrase on the Settings tab to turn encryption on:\n\n" + phrase + "\n";
        var out = new ByteArrayOutputStream();
        try (var age = new AgeOutputStream(out, parsed)) {
            age.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private boolean phraseMatches(UUID addonId, AgeRecipient recipient, String phrase) {
        return addons.encryptionSampleHash(addonId)
                .map(expected -> Tokens.constantTimeEquals(expected, hash(recipient, phrase.strip().toLowerCase(java.util.Locale.ROOT))))
                .orElse(false);
    }

    private static String hash(AgeRecipient recipient, String phrase) {
        return Tokens.sha256Hex(recipient.text() + "\n" + phrase);
    }

    /** Three groups of five characters that cannot be mistaken for each other (about 74 bits). */
    private static String phrase() {
        var phrase = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            if (i > 0 && i % 5 == 0) {
                phrase.append('-');
            }
            phrase.append(WORDS.charAt(RANDOM.nextInt(WORDS.length())));
        }
        return phrase.toString();
    }
}
