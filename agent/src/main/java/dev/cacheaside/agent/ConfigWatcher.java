package dev.cacheaside.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Notices edits to the config file and the files it includes by their content, read through any
 * symlink: an in-place write, an editor's atomic rename and a Kubernetes ConfigMap's symlink swap all
 * change what the path reads, while a touch that changes nothing does not trigger a reload.
 */
final class ConfigWatcher {

    private final Supplier<Set<Path>> files;
    private byte[] fingerprint;

    ConfigWatcher(Supplier<Set<Path>> files) {
        this.files = files;
        this.fingerprint = fingerprint();
    }

    /** True once per change of the files' content since the last call. */
    boolean changed() {
        byte[] now = fingerprint();
        if (Arrays.equals(now, fingerprint)) {
            return false;
        }
        fingerprint = now;
        return true;
    }

    private byte[] fingerprint() {
        MessageDigest digest = sha256();
        for (Path file : files.get()) {
            digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                digest.update(Files.readAllBytes(file));
            } catch (IOException e) {
                // a missing file mid-swap counts as content of its own, so its return is seen as a change
                digest.update((byte) 0);
            }
        }
        return digest.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
