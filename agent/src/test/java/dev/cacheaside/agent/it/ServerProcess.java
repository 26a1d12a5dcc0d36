package dev.cacheaside.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server application in its own process tree (a launcher script and the JVM it starts), its output
 * kept, driven over HTTP; {@link #close()} ends the whole tree.
 */
final class ServerProcess implements AutoCloseable {

    /** One HTTP exchange as the client saw it: the status and the body's exact bytes. */
    record Response(String request, int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Response that && request.equals(that.request) && status == that.status
                    && Arrays.equals(body, that.body);
        }

        @Override
        public int hashCode() {
            return 31 * status + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + text();
        }
    }

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String baseUri;

    private ServerProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "server-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts the command with stdout and stderr merged into one output. */
    static ServerProcess start(List<String> command, Map<String, String> environment, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
        builder.environment().remove("CACHE_ASIDE_REDIS_URI");
        builder.environment().remove("CACHE_ASIDE_CONFIG");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("CATALINA_OPTS");
        builder.environment().putAll(environment);
        try {
            return new ServerProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until the output holds a match of the pattern; returns its first group. */
    String await(Pattern pattern, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher matcher = pattern.matcher(output);
            if (matcher.find()) {
                return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
            }
            if (!process.isAlive()) {
                throw new AssertionError("the server ended (exit " + process.exitValue() + ") before '" + pattern
                        + "'; output:\n" + output);
            }
            ForkedApp.sleep(100);
        }
        throw new AssertionError("no '" + pattern + "' within " + limit + "; output:\n" + output);
    }

    /** Requests go to this URI followed by their path. */
    ServerProcess serving(String baseUri) {
        this.baseUri = baseUri;
        return this;
    }

    Response get(String path) {
        return send("GET " + path, HttpRequest.newBuilder(URI.create(baseUri + path)).GET());
    }

    Response post(String path) {
        return send("POST " + path, HttpRequest.newBuilder(URI.create(baseUri + path))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The request line {@code GET /path} or {@code POST /path}. */
    Response request(String line) {
        String[] parts = line.split(" ", 2);
        return parts[0].equals("POST") ? post(parts[1]) : get(parts[1]);
    }

    private Response send(String line, HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Response(line, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError(line + " failed: " + e + "; output:\n" + output, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String output() {
        return output.toString();
    }

    /** The id of the process started, for commands that address it ({@code stats PID}). */
    long pid() {
        return process.pid();
    }

    /** Ends the process and every process it started: SIGTERM first, so that the server can stop cleanly. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code java.specification.version} of a JDK: {@code 1.8}, {@code 11}, ... */
    static String javaVersion(Path jdk) {
        int feature = Jdks.feature(jdk);
        return feature == 8 ? "1.8" : String.valueOf(feature);
    }

    /** The JDKs of the Java 8 era among those the tests run on: 8 and 11; all of them when none is. */
    static List<Path> legacyJdks() {
        List<Path> legacy = new ArrayList<>();
        for (Path home : Jdks.all()) {
            if (Jdks.feature(home) < 17) {
                legacy.add(home);
            }
        }
        if (legacy.isEmpty()) {
            System.err.println("[it] no JDK older than 17 in it.jdks; the Java 8 era applications run on all");
            return Jdks.all();
        }
        return legacy;
    }
}
