package io.autobus.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a stream to one age X25519 recipient, in the age v1 format (age-encryption.org/v1):
 * what {@code age -r age1... } writes, opened by {@code age -d -i key.txt}. In flight and in
 * bounded memory (one 64 KiB chunk), with the JDK's X25519 and ChaCha20-Poly1305.
 *
 * <p>The format: a text header with the file key wrapped to the recipient (X25519 with a fresh
 * ephemeral key, HKDF-SHA256, ChaCha20-Poly1305) and an HMAC over the header, then a 16-byte
 * nonce and the payload in 64 KiB ChaCha20-Poly1305 chunks, each nonce an 11-byte counter and a
 * last-chunk flag. Nothing here can decrypt: the private key never exists on our side.
 */
public final class AgeOutputStream extends FilterOutputStream {
    private static final int CHUNK = 64 * 1024;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec payloadKey;
    private final Cipher cipher;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] sealed = new byte[CHUNK + TAG];
    private int filled;
    private long counter;
    private boolean closed;

    public AgeOutputStream(OutputStream out, AgeRecipient recipient) throws IOException {
        super(out);
        byte[] fileKey = new byte[16];
        RANDOM.nextBytes(fileKey);
        try {
            out.write(header(fileKey, recipient));
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            out.write(nonce);
            this.payloadKey = new SecretKeySpec(hkdf(fileKey, nonce, "payload"), "ChaCha20");
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("age encryption is not available in this JVM", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == CHUNK) {
                seal(false); // more is coming, so the full chunk is not the last
            }
            int n = Math.min(len, CHUNK - filled);
            System.arraycopy(b, off, chunk, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    /** Seals the last chunk (age requires one, possibly empty only when the whole plaintext is) and closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            seal(true);
        } finally {
            out.close();
        }
    }

    /** Writes nothing until close: the buffered chunk may still be the last one. */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    private void seal(boolean last) throws IOException {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[10 - i] = (byte) (counter >>> 8 * i);
        }
        nonce[11] = (byte) (last ? 1 : 0);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, payloadKey, new IvParameterSpec(nonce));
            int length = cipher.doFinal(chunk, 0, filled, sealed, 0);
            out.write(sealed, 0, length);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt the snapshot", e);
        }
        counter++;
        filled = 0;
    }

    /** The header: the X25519 stanza wrapping the file key to the recipient, then its MAC. */
    private static byte[] header(byte[] fileKey, AgeRecipient recipient) throws GeneralSecurityException {
        var generator = KeyPairGenerator.getInstance("XDH");
        generator.initialize(NamedParameterSpec.X25519);
        var ephemeral = generator.generateKeyPair();
        byte[] share = littleEndian(((XECPublicKey) ephemeral.getPublic()).getU());
        var agreement = KeyAgreement.getInstance("XDH");
        agreement.init(ephemeral.getPrivate());
        agreement.doPhase(KeyFactory.getInstance("XDH").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                new BigInteger(1, reversed(recipient.publicKey())))), true);
        byte[] shared = agreement.generateSecret();
        byte[] salt = concat(share, recipient.publicKey());
        var wrap = Cipher.getInstance("ChaCha20-Poly1305");
        wrap.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(hkdf(shared, salt, "age-encryption.org/v1/X25519"), "ChaCha20"),
                new IvParameterSpec(new byte[12]));
        byte[] body = wrap.doFinal(fileKey);
        var b64 = Base64.getEncoder().withoutPadding();
        String text = "age-encryption.org/v1\n-> X25519 " + b64.encodeToString(share) + "\n" + b64.encodeToString(body) + "\n---";
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hkdf(fileKey, new byte[0], "header"), "HmacSHA256"));
        byte[] tag = mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        return (text + " " + b64.encodeToString(tag) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** HKDF-SHA256 (RFC 5869) for one 32-byte output block. */
    static byte[] hkdf(byte[] ikm, byte[] salt, String info) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(info.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 1);
        return mac.doFinal();
    }

    /** A u-coordinate as RFC 7748 encodes it: 32 bytes, little-endian. */
    private static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, big.length); i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        out[0] &= 0x7f; // RFC 7748: the top bit of the last byte is masked
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
