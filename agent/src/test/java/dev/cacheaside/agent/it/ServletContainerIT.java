package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A web application in embedded Tomcat ({@code fixtures/servlet-app}): its servlet and DAO come from
 * {@code WEB-INF/classes} through Tomcat's web-app class loader, which the application class path
 * does not see.
 */
class ServletContainerIT extends RedisTestBase {

    private static final Path APP = Path.of(System.getProperty("servlet.app.dir", "../fixtures/servlet-app/target"));
    private static final String RULES = String.join("\n",
            "cache {",
            "  webapp-product {",
            "    method = \"com.example.webapp.ProductDao#find(long)\", key = \"webapp-product:{0}\"",
            "  }",
            "}",
            "evict {",
            "  webapp-price { method = \"com.example.webapp.ProductDao#updatePrice\", keys = [\"webapp-product:{0}\"] }",
            "}");

    private final HttpClient http = HttpClient.newHttpClient();

    /** Tomcat 11 needs Java 17. */
    static List<Path> jdks() {
        return Jdks.between(17, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void daoInTheWebAppLoader_isCached_andEvictedByAServletMutator(Path jdk) throws Exception {
        String classPath = APP.resolve("servlet-app.jar").toAbsolutePath() + File.pathSeparator
                + APP.resolve("lib").toAbsolutePath() + "/*";
        try (ForkedApp tomcat = ForkedApp.launch(jdk, redis.config(dir, RULES), List.of("-cp", classPath,
                "com.example.tomcat.TomcatLauncher", APP.resolve("webapp").toAbsolutePath().toString()))) {
            String products = "http://127.0.0.1:" + tomcat.command("port").substring(5) + "/products/";

            String miss = get(products + 2);
            String hit = get(products + 2);

            assertEquals("Product[id=2, name=product-2, priceCents=200] finds=1"
                    + " loader=org.apache.catalina.loader.ParallelWebappClassLoader", miss);
            assertEquals(miss, hit, "the second read was a hit: the DAO ran once");
            assertEquals("{\"id\":2,\"name\":\"product-2\",\"priceCents\":200}",
                    redis.get("cache-aside:webapp-product:2"));

            assertEquals("updated", post(products + "2?price=250"));
            assertFalse(redis.exists("cache-aside:webapp-product:2"), "evicted by the POST");
            assertEquals("Product[id=2, name=product-2, priceCents=250] finds=2"
                    + " loader=org.apache.catalina.loader.ParallelWebappClassLoader", get(products + 2));

            String stderr = tomcat.stderr();
            assertFalse(stderr.contains("NoClassDefFoundError"), stderr);
            assertFalse(stderr.contains("VerifyError"), stderr);
            assertFalse(stderr.contains("could not instrument"), stderr);
        }
    }

    private String get(String uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET().build());
    }

    private String post(String uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
