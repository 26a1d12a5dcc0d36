package com.acme.shop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.shop.dao.DuplicateKeyException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonHandlerTest {

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void unexpectedException_returns500WithJsonBodyAndServerKeepsServing() throws Exception {
        serve("/boom", () -> {
            throw new IllegalStateException("simulated bug");
        });
        serve("/fine", () -> Response.ok(Map.of("ok", true)));

        HttpResponse<String> failed = get("/boom");

        assertEquals(500, failed.statusCode());
        assertTrue(failed.body().contains("\"status\":500"), failed.body());
        assertTrue(failed.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(200, get("/fine").statusCode());
    }

    @Test
    void duplicateKey_returns409() throws Exception {
        serve("/dup", () -> {
            throw new DuplicateKeyException("unique index", null);
        });

        assertEquals(409, get("/dup").statusCode());
    }

    private void serve(String path, Supplier<Response> answer) {
        server.createContext(path, new JsonHandler(Json.newMapper()) {
            @Override
            Response respond(Request request) {
                return answer.get();
            }
        });
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://localhost:" + server.getAddress().getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
