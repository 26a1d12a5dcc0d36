package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring 5.3 MVC war ({@code fixtures/spring5-war}: no Spring Boot, a {@code @Transactional} service over a
 * JDBC DAO and H2) deployed into a standalone Tomcat 9 from Maven Central, started by its own
 * {@code bin/catalina.sh run} with the agent in {@code CATALINA_OPTS}, on Java 8 and 11. The war's classes load
 * through Tomcat's web-app class loader. Every HTTP answer with the agent must equal, status and bytes, the
 * answer of a run without it.
 */
class Tomcat9WarIT extends RedisTestBase {

    private static final Path WAR = Path.of(System.getProperty("spring5.war",
            "../fixtures/spring5-war/target/spring5-war.war"));
    private static final Path CATALINA_HOME = Path.of(System.getProperty("tomcat9.home",
            "target/tomcat9/apache-tomcat-9.0.98"));
    private static final String W = "com.example.war.";
    private static final String RULES = String.join("\n",
            "log-level = debug",
            "cache {",
            "  product-by-id { method = \"" + W + "ProductService#product(long)\", key = \"product:{0}\" }",
            "  products-by-category {",
            "    method = \"" + W + "ProductDao#findByCategory(String)\", key = \"category:{0}\"",
            "  }",
            "}",
            "evict {",
            "  product-price {",
            "    method = \"" + W + "ProductService#changePrice(long,long)\", keys = [\"product:{0}\"]",
            "    caches = [\"products-by-category\"]",
            "  }",
            "}");

    /** Reads whose rules cache them: the second round runs no SQL. */
    private static final List<String> CACHED_READS = List.of("GET /products/1", "GET /products/2",
            "GET /products/5", "GET /categories/odd/products", "GET /categories/even/products");
    private static final List<String> WRITES_AND_READS = List.of("POST /products/5/price?cents=99",
            "GET /products/5", "GET /categories/odd/products", "GET /categories/even/products", "GET /products/99");

    @ParameterizedTest
    @MethodSource("dev.cacheaside.agent.it.ServerProcess#legacyJdks")
    void warInStandaloneTomcat_everyAnswerEqualsTheUncachedRun_cachedReadsRunNoSql_writesShowAtOnce(Path jdk) {
        List<ServerProcess.Response> expected = new ArrayList<>();
        try (ServerProcess tomcat = start(jdk, null)) {
            for (int round = 0; round < 2; round++) {
                CACHED_READS.forEach(request -> expected.add(tomcat.request(request)));
            }
            WRITES_AND_READS.forEach(request -> expected.add(tomcat.request(request)));
        }
        assertEquals("[{\"id\":5,\"name\":\"product-5 \u00e9 \\\"5\\\"\",\"category\":\"odd\",\"priceCents\":514},"
                + "{\"id\":3,\"name\":\"product-3 \u00e9 \\\"3\\\"\",\"category\":\"odd\",\"priceCents\":300},"
                + "{\"id\":1,\"name\":\"product-1 \u00e9 \\\"1\\\"\",\"category\":\"odd\",\"priceCents\":107}]",
                expected.get(3).text());

        List<ServerProcess.Response> actual = new ArrayList<>();
        try (ServerProcess tomcat = start(jdk, redis.config(dir, RULES))) {
            assertEquals("{\"java\":\"" + ServerProcess.javaVersion(jdk) + "\","
                    + "\"loader\":\"org.apache.catalina.loader.ParallelWebappClassLoader\","
                    + "\"service\":\"" + W + "ProductService$$EnhancerBySpringCGLIB$$",
                    tomcat.get("/classes").text().replaceAll("(EnhancerBySpringCGLIB\\$\\$).*", "$1"),
                    "the JDK, Tomcat's web-app loader, the CGLIB proxy of the service");

            CACHED_READS.forEach(request -> actual.add(tomcat.request(request)));
            for (String key : List.of("product:1", "product:2", "product:5", "category:odd", "category:even")) {
                assertTrue(redis.exists("cache-aside:" + key), key + " stored; output:\n" + tomcat.output());
            }
            assertEquals("{\"category\":\"even\",\"id\":2,\"name\":\"product-2 \u00e9 \\\"2\\\"\",\"priceCents\":214}",
                    redis.get("cache-aside:product:2"));

            int sqlBefore = sql(tomcat);
            CACHED_READS.forEach(request -> actual.add(tomcat.request(request)));
            assertEquals(sqlBefore, sql(tomcat), "the cached reads of round two ran no SQL");

            actual.add(tomcat.request(WRITES_AND_READS.get(0)));
            assertFalse(redis.exists("cache-aside:product:5"), "evicted by the @Transactional mutator");
            assertFalse(redis.exists("cache-aside:category:odd"), "dropped with its cache");
            assertFalse(redis.exists("cache-aside:category:even"), "dropped with its cache");
            for (String request : WRITES_AND_READS.subList(1, WRITES_AND_READS.size())) {
                actual.add(tomcat.request(request));
            }
            assertTrue(redis.get("cache-aside:product:5").contains("\"priceCents\":99"));
            assertTrue(redis.get("cache-aside:category:odd").startsWith("[{\"category\":\"odd\",\"id\":3,"),
                    "the fresh list, in its new order: " + redis.get("cache-aside:category:odd"));

            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "answer " + i + " with the agent");
            }
            String output = tomcat.output();
            assertTrue(output.contains("rule 'product-by-id' applies to " + W + "ProductService#product("), output);
            assertTrue(output.contains("rule 'products-by-category' applies to " + W + "ProductDao#findByCategory("),
                    output);
            assertFalse(output.contains("applies to " + W + "ProductService$$"), output);
            for (String error : List.of("VerifyError", "NoClassDefFoundError", "NoSuchMethodError",
                    "could not instrument", "SEVERE")) {
                assertFalse(output.contains(error), error + " in\n" + output);
            }
        }
    }

    /** A CATALINA_BASE of its own (conf copied, a free port, no shutdown port) with the war as {@code shop}. */
    private ServerProcess start(Path jdk, Path config) {
        Path base = dir.resolve(config == null ? "without-agent" : "with-agent");
        int port = ServerProcess.freePort();
        try {
            for (String folder : List.of("conf", "webapps", "logs", "temp", "work")) {
                Files.createDirectories(base.resolve(folder));
            }
            try (Stream<Path> files = Files.list(CATALINA_HOME.resolve("conf"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file)) {
                        Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
                    }
                }
            }
            Path serverXml = base.resolve("conf/server.xml");
            String server = Files.readString(serverXml);
            assertTrue(server.contains("port=\"8005\"") && server.contains("<Connector port=\"8080\""));
            Files.writeString(serverXml, server.replace("port=\"8005\"", "port=\"-1\"")
                    .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + port + "\""));
            Files.copy(WAR, base.resolve("webapps/shop.war"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", jdk.toString());
        environment.put("JRE_HOME", jdk.toString());
        environment.put("CATALINA_HOME", CATALINA_HOME.toAbsolutePath().toString());
        environment.put("CATALINA_BASE", base.toAbsolutePath().toString());
        if (config != null) {
            environment.put("CATALINA_OPTS", "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath() + "="
                    + config.toAbsolutePath());
        }
        ServerProcess tomcat = ServerProcess.start(List.of("bash",
                CATALINA_HOME.resolve("bin/catalina.sh").toAbsolutePath().toString(), "run"), environment, base);
        try {
            tomcat.await(Pattern.compile("Server startup in"), Duration.ofSeconds(150));
            return tomcat.serving("http://127.0.0.1:" + port + "/shop");
        } catch (RuntimeException | AssertionError e) {
            tomcat.close();
            throw e;
        }
    }

    private static int sql(ServerProcess tomcat) {
        Matcher matcher = Pattern.compile("\\{\"statements\":(\\d+)}").matcher(tomcat.get("/sql").text());
        assertTrue(matcher.matches());
        return Integer.parseInt(matcher.group(1));
    }
}
