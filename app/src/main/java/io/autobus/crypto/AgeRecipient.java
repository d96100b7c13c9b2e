package io.autobus.crypto;

import java.util.Locale;

/**
 * A customer's age X25519 public key ({@code age1...}, Bech32 as age-keygen prints it): what
 * snapshots are encrypted to when the customer holds the key. Only the public half ever reaches
 * us; the file can be opened with the customer's identity alone ({@code age -d -i key.txt}).
 */
public record AgeRecipient(String text, byte[] publicKey) {
    private static final String HRP = "age";
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /**
     * @throws IllegalArgumentException with a message for the customer when the text is not an age X25519 recipient
     */
    public static AgeRecipient parse(String value) {
        String text = value == null ? "" : value.strip();
        if (text.startsWith("AGE-SECRET-KEY-")) {
            throw new IllegalArgumentException("This is an age private key (AGE-SECRET-KEY-...): never paste it anywhere."
                    + " Paste the public key, the \"age1...\" line age-keygen printed (age-keygen -y key.txt shows it again),"
                    + " and make a new key pair: this one is no longer secret.");
        }
        if (text.startsWith("ssh-") || text.startsWith("-----BEGIN")) {
            throw new IllegalArgumentException("Only age X25519 public keys (age1...) are accepted, not SSH or PGP keys."
                    + " Make one with: age-keygen -o key.txt");
        }
        if (!text.equals(text.toLowerCase(Locale.ROOT)) || !text.startsWith(HRP + "1") || text.length() != 62) {
            throw new IllegalArgumentException("An age public key starts with \"age1\" and is 62 characters long, like the line"
                    + " \"Public key: age1...\" that age-keygen prints.");
        }
        int[] values = new int[text.length() - HRP.length() - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = CHARSET.indexOf(text.charAt(HRP.length() + 1 + i));
            if (values[i] < 0) {
                throw new IllegalArgumentException("An age public key holds only the characters " + CHARSET + " after \"age1\".");
            }
        }
        if (polymod(values) != 1) {
            throw new IllegalArgumentException("This age public key has a typo: its checksum does not match. Copy it again from age-keygen's output.");
        }
        byte[] key = fromFiveBits(values, values.length - 6);
        if (key.length != 32) {
            throw new IllegalArgumentException("This is not an age X25519 public key.");
        }
        return new AgeRecipient(text, key);
    }

    /** Bech32's checksum over the human-readable part and the data (BIP 173). */
    private static int polymod(int[] data) {
        int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
        int checksum = 1;
        int[] expanded = new int[HRP.length() * 2 + 1 + data.length];
        for (int i = 0; i < HRP.length(); i++) {
            expanded[i] = HRP.charAt(i) >> 5;
            expanded[i + HRP.length() + 1] = HRP.charAt(i) & 31;
        }
        System.arraycopy(data, 0, expanded, HRP.length() * 2 + 1, data.length);
        for (int value : expanded) {
            int top = checksum >>> 25;
            checksum = (checksum & 0x1ffffff) << 5 ^ value;
            for (int i = 0; i < 5; i++) {
                if ((top >>> i & 1) == 1) {
                    checksum ^= generator[i];
                }
            }
        }
        return checksum;
    }

    private static byte[] fromFiveBits(int[] values, int count) {
        var out = new java.io.ByteArrayOutputStream();
        int accumulator = 0;
        int bits = 0;
        for (int i = 0; i < count; i++) {
            accumulator = accumulator << 5 | values[i];
            bits += 5;
            while (bits >= 8) {
                bits -= 8;
                out.write(accumulator >>> bits & 0xff);
            }
        }
        if (bits >= 5 || (accumulator & (1 << bits) - 1) != 0) {
            throw new IllegalArgumentException("This is not an age X25519 public key (bad padding).");
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
