package io.autobus.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL server binaries the service runs itself (its metadata store without
 * DATABASE_URL, an embedded verifier per major version): one archive per major on the classpath,
 * {@code /postgres/<major>/postgres-linux-x86_64.txz} (the build unpacks zonky's binaries jars
 * there, see app/pom.xml), each unpacked from the archive into a
 * directory only the service's user can enter ({@code AUTOBUS_HOME/pg/<sha-256 of the archive>},
 * mode 0700), never into a shared, world-writable place where another local user could plant a
 * {@code postgres} binary first. A directory that is not ours or not private is refused.
 */
public final class PostgresBinaries {
    private static final String ARCHIVE = "/postgres/%d/postgres-linux-x86_64.txz";
    /** The majors the build ships, oldest first: an embedded verifier can run each. */
    public static final List<Integer> MAJORS = List.of(14, 15, 16, 17, 18);
    /** The metadata store's major: its cluster under AUTOBUS_HOME/postgres was made by it. */
    public static final int METADATA_MAJOR = 17;
    private static final String COMPLETE = ".unpacked";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private PostgresBinaries() {
    }

    /** The metadata store's binaries ({@link #METADATA_MAJOR}). */
    public static Path unpacked(Path root) {
        return unpacked(root, METADATA_MAJOR);
    }

    /** The directory holding {@code bin/postgres}, {@code bin/initdb}, {@code lib/}, {@code share/} of PostgreSQL {@code major}. */
    public static synchronized Path unpacked(Path root, int major) {
        try {
            createPrivate(root);
            String sha256 = archiveSha256(major);
            Path target = root.resolve(sha256.substring(0, 16));
            if (!Files.exists(target.resolve(COMPLETE))) {
                Path partial = root.resolve(".unpacking-" + UUID.randomUUID());
                createPrivate(partial);
                unpack(major, partial);
                Files.writeString(partial.resolve(COMPLETE), sha256);
                try {
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    io.autobus.dump.ToolRun.deleteTree(partial); // another thread or process of ours was first
                }
            }
            checkPrivate(root);
            checkPrivate(target);
            if (!sha256.equals(Files.readString(target.resolve(COMPLETE)).strip())) {
                throw new IllegalStateException(target + " does not hold the binaries of this build");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded PostgreSQL binaries into " + root, e);
        }
    }

    private static String archiveSha256(int major) throws IOException {
        try (InputStream in = open(major)) {
            var digest = MessageDigest.getInstance("SHA-256");
            try (var measured = new DigestInputStream(in, digest)) {
                measured.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unpack(int major, Path into) throws IOException {
        try (var tar = new TarArchiveInputStream(new XZCompressorInputStream(open(major)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("unexpected path in the binaries archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    // The archive's own modes, without group or other write.
                    Files.setPosixFilePermissions(path, (entry.getMode() & 0100) != 0
                            ? PosixFilePermissions.fromString("rwxr-xr-x") : PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    /** The archive of PostgreSQL {@code major}, as the build put it on the classpath (zonky's txz of that major). */
    public static InputStream open(int major) throws IOException {
        String name = ARCHIVE.formatted(major);
        InputStream in = PostgresBinaries.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the PostgreSQL " + major + " binaries (" + name + ") are not on the classpath");
        }
        return in;
    }

    private static void createPrivate(Path directory) throws IOException {
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
    }

    /** Ours, a real directory, and closed to everyone else. */
    private static void checkPrivate(Path directory) throws IOException {
        var attributes = Files.readAttributes(directory, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String us = System.getProperty("user.name");
        if (!attributes.isDirectory() || !attributes.owner().getName().equals(us) || !attributes.permissions().equals(PRIVATE)) {
            throw new IllegalStateException(directory + " must be a directory owned by " + us + " with mode 0700 (it is "
                    + attributes.owner().getName() + ", " + PosixFilePermissions.toString(attributes.permissions())
                    + "): remove it and start again");
        }
    }
}
