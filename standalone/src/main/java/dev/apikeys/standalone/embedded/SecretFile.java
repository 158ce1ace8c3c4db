package dev.apikeys.standalone.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret of the standalone service (its token-signing key, its embedded database's password):
 * made once, from 48 random bytes, and kept in a file only its owner can read, so it stays the
 * same across restarts. The secret is the file's text (URL-safe Base64, 64 characters); signers
 * use its UTF-8 bytes as the HMAC key.
 */
final class SecretFile {

    private static final int SECRET_BYTES = 48;

    private final Path file;

    SecretFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    String readOrCreate() {
        try {
            if (!Files.exists(file)) {
                create();
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new IllegalStateException("The secret in " + file + " is shorter than 32 bytes");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the secret in " + file, e);
        }
    }

    /**
     * Written to a private temporary file and then linked into place: the link appears whole and
     * fails if the file exists, so two processes starting at once still agree on one secret.
     */
    private void create() throws IOException {
        byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            // Another process made it first: its secret is the one to keep.
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
