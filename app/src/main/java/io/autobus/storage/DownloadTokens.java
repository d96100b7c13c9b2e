package io.autobus.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The local store's download links: {@code payload.signature}, both URL-safe base64 without
 * padding, where the payload holds the key, the file name and the expiry, and the signature is
 * its HMAC-SHA256. The payload is readable (like an S3 presigned URL's key) but cannot be altered.
 */
final class DownloadTokens {
    private static final byte VERSION = 1;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** What a valid token grants, until {@code expiresAt}. */
    record Download(String key, String fileName, Instant expiresAt) {
    }

    private final byte[] signingKey;

    DownloadTokens(byte[] signingKey) {
        if (signingKey.length < 32) {
            throw new IllegalArgumentException("the download signing key must be at least 32 bytes");
        }
        this.signingKey = signingKey.clone();
    }

    String issue(Download download) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(download.expiresAt().getEpochSecond());
            out.writeUTF(download.key());
            out.writeUTF(download.fileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] payload = bytes.toByteArray();
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload));
    }

    /** The download a token grants, whether or not it has expired; empty when it was not issued by us. */
    Optional<Download> verify(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(payload), signature)) {
            return Optional.empty();
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                return Optional.empty();
            }
            var expiresAt = Instant.ofEpochSecond(in.readLong());
            return Optional.of(new Download(in.readUTF(), in.readUTF(), expiresAt));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(byte[] payload) {
        return io.autobus.crypto.Tokens.hmacSha256(signingKey, payload);
    }
}
