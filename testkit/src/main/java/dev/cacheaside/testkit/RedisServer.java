package dev.cacheaside.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server process on a loopback port, for tests and the demo.
 *
 * <p>The binary is {@link RedisBinary#preferred()} unless one is given: by default the {@code redis-server}
 * on PATH when there is one, else the Linux build shipped inside the {@code com.github.codemonstur:embedded-redis}
 * jar. The server keeps its port across
 * {@link #stop()} and {@link #start()}, so a client configured once sees it go away and come back.
 */
public final class RedisServer implements AutoCloseable {

    private final RedisBinary binary;
    private final int port;
    private final Path workDir;
    private final List<String> extraArgs;
    private final Path sentinelConfig;
    private Process process;

    private RedisServer(RedisBinary binary, int port, List<String> extraArgs, Path sentinelConfig) {
        this.binary = binary;
        this.port = port;
        this.extraArgs = extraArgs;
        this.sentinelConfig = sentinelConfig;
        try {
            this.workDir = Files.createTempDirectory("redis-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on a free port. */
    public static RedisServer startNew(String... extraArgs) {
        return startNew(RedisBinary.preferred(), extraArgs);
    }

    /** Starts a server of the given binary on a free port. */
    public static RedisServer startNew(RedisBinary binary, String... extraArgs) {
        RedisServer server = new RedisServer(binary, freePort(), List.of(extraArgs), null);
        server.start();
        return server;
    }

    /** Starts a server on the given port (for nodes whose ports are known in advance). */
    public static RedisServer startOn(int port, String... extraArgs) {
        RedisServer server = new RedisServer(RedisBinary.preferred(), port, List.of(extraArgs), null);
        server.start();
        return server;
    }

    /** Starts a Sentinel monitoring {@code masterName} at the given master port, with a quorum of one. */
    public static RedisServer startSentinel(String masterName, int masterPort) {
        int port = freePort();
        try {
            Path dir = Files.createTempDirectory("sentinel-" + port + "-");
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1",
                    "sentinel down-after-milliseconds " + masterName + " 1000",
                    "sentinel failover-timeout " + masterName + " 5000",
                    "sentinel parallel-syncs " + masterName + " 1", ""));
            RedisServer sentinel = new RedisServer(RedisBinary.preferred(), port, List.of(), config);
            sentinel.start();
            return sentinel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public RedisBinary binary() {
        return binary;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>();
        String cpu = System.getProperty("testkit.redis.taskset");
        if (cpu != null && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            // a benchmark pins redis-server next to its single-thread fork, see docs/performance.md
            command.addAll(List.of("/usr/bin/taskset", "-c", cpu));
        }
        if (sentinelConfig != null) {
            command.addAll(List.of(binary.path().toString(), sentinelConfig.toString(), "--sentinel"));
        } else {
            command.addAll(List.of(binary.path().toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", workDir.toString()));
            command.addAll(extraArgs);
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitAnswering(Duration.ofSeconds(10));
    }

    /** Kills the server (SIGKILL): connections drop at once, as in a crash. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Freezes the server (SIGSTOP): it keeps accepting connections but never answers. */
    public synchronized void freeze() {
        signal("STOP");
    }

    public synchronized void thaw() {
        signal("CONT");
    }

    @Override
    public void close() {
        thaw();
        stop();
    }

    private void signal(String name) {
        if (process == null) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAnswering(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ", see "
                        + workDir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer on port " + port + " within " + limit);
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** A TCP port free on loopback right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
