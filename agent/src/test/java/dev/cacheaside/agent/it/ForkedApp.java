package dev.cacheaside.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The fixture application in its own JVM, started with the shaded agent jar, driven over stdin. */
final class ForkedApp implements AutoCloseable {

    static final Path AGENT_JAR = Path.of(System.getProperty("agent.jar", "target/cache-aside-agent.jar"));
    static final String FIXTURE_CLASSES = System.getProperty("fixture.classes", "target/test-classes");

    /** One answer of the fixture: {@code OK type value nanos} or {@code EX type message nanos}. */
    record Reply(String status, String type, String value, long nanos) {
        boolean ok() {
            return status.equals("OK");
        }

        Duration elapsed() {
            return Duration.ofNanos(nanos);
        }
    }

    private final Process process;
    private final PrintWriter stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final java.util.concurrent.ConcurrentHashMap<String, String> done = new java.util.concurrent.ConcurrentHashMap<>();
    private final StringBuffer stderr = new StringBuffer();
    /** Whether the process answers {@code mark}: the fixture does, launched applications need not. */
    private final boolean marks;
    private int lastMark;

    private ForkedApp(Process process, boolean marks) {
        this.process = process;
        this.marks = marks;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
        pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
    }

    /** Starts the fixture with {@code -javaagent:agent.jar=config} (no agent when config is null). */
    static ForkedApp start(Path javaHome, Path config, String... jvmOptions) {
        return start(javaHome, config, Map.of(), jvmOptions);
    }

    static ForkedApp start(Path javaHome, Path config, Map<String, String> environment, String... jvmOptions) {
        return start(javaHome, config, environment, List.of(), jvmOptions);
    }

    /** Starts the fixture with more entries (the application's own libraries) after its classes. */
    static ForkedApp start(Path javaHome, Path config, Map<String, String> environment, List<Path> classPath,
                           String... jvmOptions) {
        StringBuilder entries = new StringBuilder(FIXTURE_CLASSES);
        classPath.forEach(entry -> entries.append(java.io.File.pathSeparator).append(entry.toAbsolutePath()));
        return start(javaHome, config, environment, List.of(jvmOptions),
                List.of("-cp", entries.toString(), "com.example.fixture.FixtureMain"), Duration.ofSeconds(30), true);
    }

    /**
     * Starts another application that speaks the fixture's protocol on stdin and stdout; {@code launch}
     * follows the JVM options: {@code -jar app.jar}, or a class path and a main class with its arguments.
     */
    static ForkedApp launch(Path javaHome, Path config, List<String> launch) {
        // a framework's start-up takes seconds, and more on a busy machine
        return start(javaHome, config, Map.of(), List.of(), launch, Duration.ofSeconds(120), false);
    }

    private static ForkedApp start(Path javaHome, Path config, Map<String, String> environment,
                                   List<String> jvmOptions, List<String> launch, Duration startUp,
                                   boolean marks) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-Xshare:auto");
        if (config != null) {
            command.add("-javaagent:" + AGENT_JAR.toAbsolutePath() + "=" + config.toAbsolutePath());
        }
        command.addAll(jvmOptions);
        command.addAll(launch);
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().remove("CACHE_ASIDE_REDIS_URI");
            builder.environment().remove("CACHE_ASIDE_CONFIG");
            builder.environment().putAll(environment);
            ForkedApp app = new ForkedApp(builder.start(), marks);
            app.awaitLine("READY", startUp);
            return app;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    Reply call(String op, Object... arguments) {
        StringBuilder line = new StringBuilder("call ").append(op);
        for (Object argument : arguments) {
            line.append(' ').append(argument);
        }
        stdin.println(line);
        String answer = next(Duration.ofSeconds(30));
        String[] parts = answer.split(" ");
        if (parts.length < 4 || !(parts[0].equals("OK") || parts[0].equals("EX"))) {
            throw new AssertionError("unexpected answer '" + answer + "' to '" + line + "'; stderr:\n" + stderr);
        }
        return new Reply(parts[0], parts[1], parts[2], Long.parseLong(parts[parts.length - 1]));
    }

    /** Sends one control line ({@code gate arm}, {@code spawn ...}, {@code stampede ...}); returns its answer. */
    String command(String line) {
        return command(line, Duration.ofSeconds(60));
    }

    /** Sends one control line and waits up to {@code limit} for its answer (a soak runs for minutes). */
    String command(String line, Duration limit) {
        stdin.println(line);
        return next(limit);
    }

    /** Waits for a spawned call to finish and returns its reply. */
    Reply awaitDone(String tag, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String answer = done.remove(tag);
            if (answer != null) {
                String[] parts = answer.split(" ");
                return new Reply(parts[0], parts[1], parts[2], Long.parseLong(parts[parts.length - 1]));
            }
            sleep(10);
        }
        throw new AssertionError("spawned call " + tag + " did not finish within " + limit + "; stderr:\n" + stderr);
    }

    /** How often the fixture method's own body ran. */
    int runs(String method) {
        stdin.println("runs " + method);
        String answer = next(Duration.ofSeconds(30));
        if (!answer.startsWith("RUNS ")) {
            throw new AssertionError("unexpected answer '" + answer + "'");
        }
        return Integer.parseInt(answer.substring(5));
    }

    /**
     * Everything the process wrote to stderr so far. The fixture is asked to write a mark first, so a
     * warning logged before the last answer is not still in the pipe when the test reads it.
     */
    String stderr() {
        if (marks && process.isAlive()) {
            String mark = "#mark " + (++lastMark);
            stdin.println("mark " + lastMark);
            String answer = next(Duration.ofSeconds(30));
            if (!answer.equals("MARKED")) {
                throw new AssertionError("unexpected answer '" + answer + "' to 'mark'; stderr:\n" + stderr);
            }
            awaitStderr(mark, Duration.ofSeconds(30));
        }
        return stderr.toString().replaceAll("(?m)^#mark \\d+\n", "");
    }

    /** Waits until stderr holds the text; false on time-out. */
    boolean awaitStderr(String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (stderr.indexOf(text) >= 0) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    long pid() {
        return process.pid();
    }

    private void awaitLine(String expected, Duration limit) {
        String line = next(limit);
        if (!line.equals(expected)) {
            throw new AssertionError("expected '" + expected + "', got '" + line + "'; stderr:\n" + stderr);
        }
    }

    private String next(Duration limit) {
        try {
            String line = stdout.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no answer within " + limit + " (alive: " + process.isAlive() + "); stderr:\n"
                        + stderr);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void pump(BufferedReader reader, boolean isStdout) {
        Thread thread = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (isStdout && line.startsWith("DONE ")) {
                        String[] parts = line.split(" ", 3);
                        done.put(parts[1], parts[2]);
                    } else if (isStdout) {
                        stdout.add(line);
                    } else {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, isStdout ? "fixture-stdout" : "fixture-stderr");
        thread.setDaemon(true);
        thread.start();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stdin.println("exit");
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
