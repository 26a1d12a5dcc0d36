package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.PrometheusSettings;
import dev.cacheaside.agent.log.AgentLog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves {@code GET /metrics} in the Prometheus text format from one daemon thread. A plain socket
 * rather than the JDK's HTTP server: that module may be missing from a trimmed runtime, and its
 * dispatcher thread would keep an application's JVM alive. Scrapes are rare and small, so one
 * request at a time is enough; a slow client is cut off by a read timeout.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 5000;
    private static final int MAX_HEADER_LINES = 100;

    private final ServerSocket server;
    private final Supplier<String> metrics;

    private PrometheusEndpoint(ServerSocket server, Supplier<String> metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    /** Listens where the settings say; logs and returns null when it cannot. */
    public static PrometheusEndpoint start(PrometheusSettings settings, Supplier<String> metrics) {
        try {
            ServerSocket server = new ServerSocket(settings.port(), 16, InetAddress.getByName(settings.host()));
            PrometheusEndpoint endpoint = new PrometheusEndpoint(server, metrics);
            Thread thread = new Thread(endpoint::serve, "cache-aside-prometheus");
            thread.setDaemon(true);
            thread.start();
            AgentLog.info("Prometheus metrics at http://" + settings.describe() + "/metrics");
            return endpoint;
        } catch (IOException | RuntimeException e) {
            AgentLog.error("cannot serve Prometheus metrics on " + settings.describe() + " (prometheus.host/port): "
                    + AgentLog.describe(e) + "; the agent runs without the endpoint");
            return null;
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                client.setSoTimeout(READ_TIMEOUT_MILLIS);
                answer(client);
            } catch (IOException | RuntimeException e) {
                if (!server.isClosed()) {
                    AgentLog.debug("Prometheus scrape failed: " + e);
                }
            }
        }
    }

    private void answer(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.ISO_8859_1));
        String requestLine = in.readLine();
        if (requestLine == null) {
            return;
        }
        for (int i = 0; i < MAX_HEADER_LINES; i++) {
            String header = in.readLine();
            if (header == null || header.isEmpty()) {
                break;
            }
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
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket frees the port either way
        }
    }
}
