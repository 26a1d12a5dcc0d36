package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.PrometheusSettings;
import dev.cacheaside.agent.log.AgentLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format. A plain socket rather than the JDK's HTTP
 * server: that module may be missing from a trimmed runtime, and its dispatcher thread would keep an
 * application's JVM alive. One daemon thread accepts; two daemon threads answer, so a client that sends
 * nothing holds one of them at most {@link #REQUEST_DEADLINE_MILLIS}, and the next scrape is answered by
 * the other. A request head larger than {@link #MAX_REQUEST_BYTES} is cut off, and no failure, not even
 * an {@code OutOfMemoryError}, ends the accepting thread.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    static final int REQUEST_DEADLINE_MILLIS = 2000;
    static final int MAX_REQUEST_BYTES = 8192;
    private static final int WORKERS = 2;
    private static final int QUEUED = 8;

    private final ServerSocket server;
    private final Supplier<String> metrics;
    private final ThreadPoolExecutor workers;

    private PrometheusEndpoint(ServerSocket server, Supplier<String> metrics) {
        this.server = server;
        this.metrics = metrics;
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<Runnable>(QUEUED), runnable -> {
                    Thread thread = new Thread(runnable, "cache-aside-prometheus-answer");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Listens where the settings say; logs and returns null when it cannot. */
    public static PrometheusEndpoint start(PrometheusSettings settings, Supplier<String> metrics) {
        try {
            ServerSocket server = new ServerSocket(settings.port(), 16, InetAddress.getByName(settings.host()));
            PrometheusEndpoint endpoint = listen(server, metrics);
            AgentLog.info("Prometheus metrics at http://" + settings.describe() + "/metrics");
            return endpoint;
        } catch (IOException | RuntimeException e) {
            AgentLog.error("cannot serve Prometheus metrics on " + settings.describe() + " (prometheus.host/port): "
                    + AgentLog.describe(e) + "; the agent runs without the endpoint");
            return null;
        }
    }

    /** Serves scrapes on a bound socket. */
    static PrometheusEndpoint listen(ServerSocket server, Supplier<String> metrics) {
        PrometheusEndpoint endpoint = new PrometheusEndpoint(server, metrics);
        Thread thread = new Thread(endpoint::serve, "cache-aside-prometheus");
        thread.setDaemon(true);
        thread.start();
        return endpoint;
    }

    /** The port it listens on (the settings' port, or the one chosen for port 0 in tests). */
    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            Socket client = null;
            try {
                client = server.accept();
                Socket accepted = client;
                workers.execute(() -> answerAndClose(accepted));
            } catch (RejectedExecutionException e) {
                closeQuietly(client); // more clients waiting than a scraper ever sends: drop this one
            } catch (Throwable e) {
                closeQuietly(client);
                if (!server.isClosed()) {
                    AgentLog.debug("Prometheus endpoint: " + e);
                }
            }
        }
    }

    private void answerAndClose(Socket client) {
        try {
            answer(client);
        } catch (Throwable e) {
            AgentLog.debug("Prometheus scrape failed: " + e);
        } finally {
            closeQuietly(client);
        }
    }

    private void answer(Socket client) throws IOException {
        String requestLine = readRequestLine(client);
        if (requestLine == null) {
            return;
        }
        String[] parts = requestLine.split(" ");
        OutputStream out = client.getOutputStream();
        if (parts.length < 2 || !(parts[0].equals("GET") || parts[0].equals("HEAD"))) {
            respond(out, "405 Method Not Allowed", "only GET\n", true);
        } else if (!parts[1].equals("/metrics") && !parts[1].startsWith("/metrics?")) {
            respond(out, "404 Not Found", "metrics are at /metrics\n", true);
        } else {
            respond(out, "200 OK", metrics.get(), !parts[0].equals("HEAD"));
        }
    }

    /**
     * Reads the request head up to its blank line, within the deadline and the size limit, and returns
     * its first line; null when the client sent too much, too slowly, or nothing.
     */
    static String readRequestLine(Socket client) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_DEADLINE_MILLIS);
        InputStream in = client.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < MAX_REQUEST_BYTES) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            client.setSoTimeout((int) left);
            int next;
            try {
                next = in.read();
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (next < 0) {
                break;
            }
            head.append((char) next);
            int length = head.length();
            if (length >= 4 && head.charAt(length - 1) == '\n'
                    && (head.charAt(length - 2) == '\n' || head.lastIndexOf("\r\n\r\n") == length - 4)) {
                break;
            }
        }
        if (head.length() >= MAX_REQUEST_BYTES) {
            return null;
        }
        int endOfLine = head.indexOf("\n");
        String line = endOfLine < 0 ? head.toString() : head.substring(0, endOfLine);
        line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        return line.isEmpty() ? null : line;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the client is gone either way
            }
        }
    }

    private static void respond(OutputStream out, String status, String body, boolean withBody) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\n"
                + "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(bytes);
        }
        out.flush();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket frees the port either way
        }
    }
}
