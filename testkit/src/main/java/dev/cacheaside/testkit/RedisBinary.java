package dev.cacheaside.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server executable: the Redis 6.2 build inside {@code com.github.codemonstur:embedded-redis}
 * ({@link #embedded()}), or the one on PATH ({@link #onPath()}, Debian's 7.0 at /usr/bin on many machines).
 *
 * <p>{@link #preferred()} is what a server runs unless told otherwise: {@code -Dtestkit.redis.binary=embedded},
 * {@code =path} or an absolute path chooses; by default the one on PATH, else the embedded one.
 */
public final class RedisBinary {

    /** Selects the binary of {@link #preferred()}: {@code embedded}, {@code path}, or a path to an executable. */
    public static final String PROPERTY = "testkit.redis.binary";

    private static final String EMBEDDED_BINARY = "redis-server-6.2.6-v5-linux-amd64";
    private static final Pattern VERSION = Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)");

    private final String name;
    private final Path path;
    private volatile String version;

    private RedisBinary(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    /** The Redis 6.2 build shipped in the embedded-redis jar, extracted once into the temporary directory. */
    public static RedisBinary embedded() {
        return new RedisBinary("embedded", extractEmbedded());
    }

    /** The first {@code redis-server} on PATH, if there is one. */
    public static Optional<RedisBinary> onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new RedisBinary("path", candidate.toAbsolutePath()));
            }
        }
        return Optional.empty();
    }

    /** A binary chosen by name, as in {@link #PROPERTY}. */
    public static Optional<RedisBinary> named(String name) {
        switch (name) {
            case "embedded":
                return Optional.of(embedded());
            case "path":
                return onPath();
            default:
                Path path = Path.of(name);
                return Files.isExecutable(path) ? Optional.of(new RedisBinary(name, path)) : Optional.empty();
        }
    }

    /** The binary a server runs by default: see the class comment. */
    public static RedisBinary preferred() {
        String chosen = System.getProperty(PROPERTY, "").trim();
        if (!chosen.isEmpty()) {
            return named(chosen).orElseThrow(() -> new IllegalStateException(
                    "-D" + PROPERTY + "=" + chosen + ": no such redis-server"));
        }
        return onPath().orElseGet(RedisBinary::embedded);
    }

    /** Names of the binaries a test matrix runs on: {@code embedded} always, {@code path} too (skipped when absent). */
    public static List<String> matrix() {
        List<String> names = new ArrayList<>();
        names.add("embedded");
        names.add("path");
        return names;
    }

    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    /** The server's version, from {@code redis-server --version}, such as {@code 7.0.15}. */
    public String version() {
        String known = version;
        if (known != null) {
            return known;
        }
        try {
            Process process = new ProcessBuilder(path.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = VERSION.matcher(output);
            known = matcher.find() ? matcher.group(1) : "unknown";
        } catch (IOException e) {
            known = "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            known = "unknown";
        }
        version = known;
        return known;
    }

    /** The major version, 6 or 7 or later; 0 when unknown. */
    public int major() {
        String v = version();
        int dot = v.indexOf('.');
        try {
            return dot < 0 ? 0 : Integer.parseInt(v.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "redis-server " + version() + " (" + name + ": " + path + ")";
    }

    private static synchronized Path extractEmbedded() {
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "cache-aside-" + EMBEDDED_BINARY);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(EMBEDDED_BINARY)) {
            if (in == null) {
                throw new IllegalStateException("no " + EMBEDDED_BINARY
                        + " on the class path (com.github.codemonstur:embedded-redis)");
            }
            Path partial = Files.createTempFile(target.getParent(), "redis-server", ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
