package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spring Boot fixture served over HTTP with an APM agent built on Byte Buddy in the same JVM
 * (OpenTelemetry's and Elastic's), its {@code -javaagent} before ours and after it: our rules still
 * cache and evict, exactly once per call, and the APM agent still traces the request. One JVM per
 * case, every check in it: a Spring Boot start with two agents takes tens of seconds here.
 */
class ApmAgentsIT extends RedisTestBase {

    private static final Path APP_JAR = Path.of(System.getProperty("spring-boot.app.jar",
            "../fixtures/spring-boot-app/target/spring-boot-app.jar"));
    private static final Path OTEL_JAR = Path.of(System.getProperty("opentelemetry.agent.jar",
            "target/apm-agents/opentelemetry-javaagent.jar"));
    private static final Path ELASTIC_JAR = Path.of(System.getProperty("elastic.agent.jar",
            "target/apm-agents/elastic-apm-agent.jar"));
    private static final String B = "com.example.boot.";
    private static final String RULES = String.join("\n",
            "log-level = debug",
            "cache {",
            "  category-by-id { method = \"" + B + "CategoryRepository#findById\", key = \"category:{0}\" }",
            "  product-details { method = \"" + B + "CatalogService#productDetails(String)\", key = \"details:{0}\" }",
            "}",
            "evict {",
            "  product-price { method = \"" + B + "CatalogService#changePrice\", keys = [\"details:{0}\"] }",
            "}");
    private static final Duration SPAN_WAIT = Duration.ofSeconds(30);

    enum Apm { OPENTELEMETRY, ELASTIC }

    static Stream<Arguments> agentsAndOrders() {
        return Stream.of(Arguments.of(Apm.OPENTELEMETRY, true), Arguments.of(Apm.OPENTELEMETRY, false),
                Arguments.of(Apm.ELASTIC, true), Arguments.of(Apm.ELASTIC, false));
    }

    @ParameterizedTest(name = "{0}, its -javaagent first: {1}")
    @MethodSource("agentsAndOrders")
    void rulesCacheAndEvict_andTheApmAgentStillTracesTheRequest(Apm apm, boolean apmFirst) throws Exception {
        assertTrue(Files.isRegularFile(jar(apm)), "no " + jar(apm) + ": run the build's pre-integration-test phase");
        Path apmLog = dir.resolve("elastic-apm.log");
        int port = freePort();
        List<String> launch = new ArrayList<>();
        String ours = "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath() + "=" + redis.config(dir, RULES).toAbsolutePath();
        if (!apmFirst) {
            launch.add(ours);
        }
        launch.addAll(apmOptions(apm, apmLog));
        if (apmFirst) {
            launch.add(ours);
        }
        launch.addAll(List.of("-jar", APP_JAR.toAbsolutePath().toString(),
                "--spring.main.web-application-type=servlet", "--server.port=" + port));
        Supplier<String> apmOutput;

        // our -javaagent is in the launch list, so that it can follow the APM agent's
        try (ForkedApp app = ForkedApp.launch(Jdks.current(), null, launch)) {
            apmOutput = apm == Apm.OPENTELEMETRY ? app::stderr : () -> read(apmLog);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = "http://127.0.0.1:" + port + "/products/";

            // a cached service method behind an HTTP endpoint: one query for two requests
            int runsBefore = app.runs("productDetails");
            int sqlBefore = app.runs("sql");
            String miss = get(http, base + "SKU-1");
            int sqlAfterMiss = app.runs("sql");
            String hit = get(http, base + "SKU-1");

            assertTrue(miss.startsWith("Product{id=1,sku=SKU-1,name=product-1,priceCents=100,"), miss);
            assertEquals(miss, hit);
            assertTrue(sqlAfterMiss > sqlBefore, "the miss queried the database");
            assertEquals(sqlAfterMiss, app.runs("sql"), "the hit ran no query");
            assertEquals(runsBefore + 1, app.runs("productDetails"), "the body ran once for two requests");
            assertTrue(redis.exists("cache-aside:details:SKU-1"));

            // an evicting write over HTTP: the next read is fresh, and cached again
            assertEquals("OK", post(http, base + "SKU-1/price/555"));
            assertFalse(redis.exists("cache-aside:details:SKU-1"), "evicted before the response");
            int sqlBeforeFresh = app.runs("sql");
            String fresh = get(http, base + "SKU-1");
            assertTrue(fresh.contains("priceCents=555"), fresh);
            assertTrue(app.runs("sql") > sqlBeforeFresh, "the read after the write queried the database");
            assertEquals(runsBefore + 2, app.runs("productDetails"));
            assertTrue(redis.get("cache-aside:details:SKU-1").contains("\"priceCents\":555"));

            // a Spring Data repository (a JDK proxy the OpenTelemetry agent wraps too), outside any request
            ForkedApp.Reply repositoryMiss = app.call("categoryById", 1);
            int sqlAfterRepositoryMiss = app.runs("sql");
            ForkedApp.Reply repositoryHit = app.call("categoryById", 1);
            assertEquals("Optional[Category{id=1,name=category-1}]", repositoryMiss.value());
            assertEquals(repositoryMiss.value(), repositoryHit.value());
            assertEquals(sqlAfterRepositoryMiss, app.runs("sql"), "the repository hit ran no query");
            assertTrue(redis.exists("cache-aside:category:1"));

            // the APM agent traced the requests
            String span = apm == Apm.OPENTELEMETRY
                    ? "'GET /products/{sku}' : " // LoggingSpanExporter: 'name' : traceId spanId SERVER [tracer: ...tomcat...]
                    : "endTransaction 'CatalogController#productDetails'";
            assertTrue(await(apmOutput, span), apm + " logged no span for the request; its output:\n" + apmOutput.get());
            if (apm == Apm.OPENTELEMETRY) {
                assertTrue(app.stderr().matches("(?s).*'GET /products/\\{sku}' : \\w+ \\w+ SERVER \\[tracer: io\\.opentelemetry\\.tomcat.*"),
                        app.stderr());
                assertTrue(await(apmOutput, "'POST /products/{sku}/price/{cents}' : "), app.stderr());
            } else {
                assertTrue(await(apmOutput, "endTransaction 'CatalogController#changePrice'"), apmOutput.get());
                assertTrue(await(apmOutput, "endSpan 'SELECT FROM product'"), "its JDBC spans too");
            }

            // each rule woven once, with no linkage error on either side
            String stderr = app.stderr();
            assertEquals(1, count(stderr, "rule 'product-details' applies to com.example.boot.CatalogService#productDetails("),
                    stderr);
            assertEquals(1, count(stderr, "transformed com.example.boot.CatalogService\n"), stderr);
            assertTrue(stderr.matches("(?s).*rule 'category-by-id' applies to jdk\\.proxy\\d+\\.\\$Proxy\\d+#findById.*"),
                    stderr);
            assertFalse(stderr.contains("[cache-aside] WARN"), stderr); // "could not instrument ..." among others
            assertFalse(stderr.contains("[cache-aside] ERROR"), stderr); // "cannot retransform ..." among others
            for (String output : List.of(stderr, apmOutput.get())) {
                for (String error : List.of("VerifyError", "NoClassDefFoundError", "ClassCircularityError")) {
                    assertFalse(output.contains(error), error + " in\n" + output);
                }
            }
        }
    }

    private static Path jar(Apm apm) {
        return apm == Apm.OPENTELEMETRY ? OTEL_JAR : ELASTIC_JAR;
    }

    /** The APM agent with a local exporter: spans to our stderr (OpenTelemetry) or its own log file (Elastic). */
    private static List<String> apmOptions(Apm apm, Path elasticLog) {
        String javaagent = "-javaagent:" + jar(apm).toAbsolutePath();
        if (apm == Apm.OPENTELEMETRY) {
            return List.of(javaagent, "-Dotel.service.name=spring-boot-app", "-Dotel.traces.exporter=logging",
                    "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");
        }
        // no APM server here: the agent runs as usual, drops its events, and logs each transaction at debug
        return List.of(javaagent, "-Delastic.apm.service_name=spring-boot-app", "-Delastic.apm.disable_send=true",
                "-Delastic.apm.central_config=false", "-Delastic.apm.cloud_provider=NONE",
                "-Delastic.apm.application_packages=com.example.boot", "-Delastic.apm.log_level=debug",
                "-Delastic.apm.log_file=" + elasticLog.toAbsolutePath());
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        return send(http, HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static String post(HttpClient http, String url) throws IOException, InterruptedException {
        return send(http, HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static boolean await(Supplier<String> output, String text) {
        long deadline = System.nanoTime() + SPAN_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (output.get().contains(text)) {
                return true;
            }
            ForkedApp.sleep(100);
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
