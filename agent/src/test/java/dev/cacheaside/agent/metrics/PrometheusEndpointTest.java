package dev.cacheaside.agent.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoint on a real loopback socket: oversized, silent and slow clients never stop the next scrape. */
class PrometheusEndpointTest {

    private PrometheusEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        endpoint = PrometheusEndpoint.listen(new ServerSocket(0, 16, InetAddress.getLoopbackAddress()),
                () -> "cache_aside_redis_available 1\n");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void scrape_answersTheMetrics() throws IOException {
        assertTrue(scrape().endsWith("cache_aside_redis_available 1\n"));
    }

    @Test
    void hugeRequestLine_isCutOff_andTheNextScrapeIsAnswered() throws IOException {
        try (Socket flood = connect()) {
            OutputStream out = flood.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            out.write("GET /".getBytes(StandardCharsets.ISO_8859_1));
            try {
                for (int i = 0; i < 512; i++) { // 32 MiB without a line end
                    out.write(chunk);
                }
            } catch (IOException cutOff) {
                // the endpoint closed the connection: what it must do
            }
        }
        assertTrue(scrape().endsWith("cache_aside_redis_available 1\n"));
    }

    @Test
    void silentAndDrippingClients_doNotBlockTheNextScrape() throws IOException {
        try (Socket silent = connect(); Socket dripping = connect()) {
            dripping.getOutputStream().write('G');
            long started = System.nanoTime();
            String answer = scrape();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(answer.endsWith("cache_aside_redis_available 1\n"), answer);
            assertTrue(millis < PrometheusEndpoint.REQUEST_DEADLINE_MILLIS * 3, millis + " ms");
        }
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), endpoint.port());
    }

    private String scrape() throws IOException {
        try (Socket client = connect()) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = client.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
