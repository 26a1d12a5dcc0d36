package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot 2.7 executable jar ({@code fixtures/spring-boot2-app}) on Java 8 and 11, started with
 * {@code java -jar}: Spring MVC on embedded Tomcat 9, Spring Data JPA over Hibernate 5 ({@code javax.persistence})
 * and H2, open-in-view on as Boot 2 has it. Every HTTP answer with the agent must equal, status and bytes, the
 * answer of a run without it; the SQL count and Redis show what was cached.
 */
class SpringBoot2IT extends RedisTestBase {

    private static final Path APP_JAR = Path.of(System.getProperty("spring-boot2.app.jar",
            "../fixtures/spring-boot2-app/target/spring-boot2-app.jar"));
    private static final String B = "com.example.boot2.";
    private static final String RULES = String.join("\n",
            "log-level = debug",
            "cache {",
            "  category-by-id { method = \"" + B + "CategoryRepository#findById\", key = \"category:{0}\" }",
            "  product-details { method = \"" + B + "CatalogService#productDetails(String)\", key = \"details:{0}\" }",
            "  product-by-sku { method = \"" + B + "ProductRepository#findBySku(String)\", key = \"sku:{0}\" }",
            "  product-listing { method = \"" + B + "CatalogService#productListing(String)\", key = \"listing:{0}\" }",
            "  product-with-category {",
            "    method = \"" + B + "CatalogService#productWithCategory(String)\", key = \"with-category:{0}\"",
            "  }",
            "}",
            "evict {",
            "  product-price { method = \"" + B + "CatalogService#changePrice\", keys = [\"details:{0}\"] }",
            // the inherited save(S) of CrudRepository, declared nowhere in the application
            "  category-save {",
            "    method = \"" + B + "CategoryRepository#save\"",
            "    keys = [\"category:{0.id}\"], caches = [\"product-details\"]",
            "  }",
            "}");

    /** Reads whose rules cache them: the second round runs no SQL. */
    private static final List<String> CACHED_READS = List.of(
            "GET /categories/1", "GET /categories/2", "GET /products/SKU-1", "GET /products/SKU-2");
    /**
     * Reads whose values hold lazy associations that are not loaded: their rules turn off, and each runs the
     * queries of its own body (the product; for with-category the category too), nothing more.
     */
    private static final Map<String, Integer> LAZY_READS = lazyReads();
    private static final List<String> WRITES_AND_READS = List.of(
            "POST /products/SKU-1/price?cents=150", "GET /products/SKU-1",
            "POST /categories/2/name?value=renamed", "GET /categories/2", "GET /products/SKU-2", "GET /categories/9");

    @ParameterizedTest
    @MethodSource("dev.cacheaside.agent.it.ServerProcess#legacyJdks")
    void everyAnswerEqualsTheUncachedRun_cachedReadsRunNoSql_writesShowAtOnce_lazyValuesStayUntouched(Path jdk) {
        List<ServerProcess.Response> expected = new ArrayList<>();
        try (ServerProcess app = start(jdk, null)) {
            for (int round = 0; round < 2; round++) {
                CACHED_READS.forEach(request -> expected.add(app.request(request)));
                LAZY_READS.keySet().forEach(request -> expected.add(app.request(request)));
            }
            WRITES_AND_READS.forEach(request -> expected.add(app.request(request)));
        }
        assertEquals("{\"id\":1,\"sku\":\"SKU-1\",\"name\":\"product-1\",\"priceCents\":100,"
                + "\"category\":{\"id\":1,\"name\":\"category-1\"},"
                + "\"reviews\":[{\"id\":13,\"stars\":4,\"text\":\"fine \\\"quoted\\\" \u00e9-1\"},"
                + "{\"id\":12,\"stars\":3,\"text\":\"fair-1\"},{\"id\":11,\"stars\":5,\"text\":\"good-1\"}]}",
                expected.get(2).text(), "the fixture renders the reviews in the order of their @OrderBy");

        List<ServerProcess.Response> actual = new ArrayList<>();
        try (ServerProcess app = start(jdk, redis.config(dir, RULES))) {
            assertEquals("{\"java\":\"" + ServerProcess.javaVersion(jdk) + "\","
                    + "\"loader\":\"org.springframework.boot.loader.LaunchedURLClassLoader\","
                    + "\"location\":\"jar:file:" + APP_JAR.toAbsolutePath().normalize() + "!/BOOT-INF/classes!/\","
                    + "\"service\":\"" + B + "CatalogService$$EnhancerBySpringCGLIB$$",
                    prefixOf(app.get("/classes").text()), "the JDK, Boot's jar loader, the CGLIB proxy of the service");

            // round one: every cached read misses and stores
            CACHED_READS.forEach(request -> actual.add(app.request(request)));
            LAZY_READS.keySet().forEach(request -> actual.add(app.request(request)));
            for (String key : List.of("category:1", "category:2", "details:SKU-1", "details:SKU-2")) {
                assertTrue(redis.exists("cache-aside:" + key), key + " stored; output:\n" + app.output());
            }
            assertTrue(redis.get("cache-aside:details:SKU-1").contains("\"reviews\":[{\"id\":13,"),
                    "the loaded persistent set stored as its content, in its order: "
                            + redis.get("cache-aside:details:SKU-1"));
            assertEquals("{\"id\":1,\"name\":\"category-1\"}", redis.get("cache-aside:category:1"));

            // round two: the cached reads are hits, the lazy ones run their own query and nothing more
            int sqlBefore = sql(app);
            CACHED_READS.forEach(request -> actual.add(app.request(request)));
            assertEquals(sqlBefore, sql(app), "the cached reads of round two ran no SQL");
            for (Map.Entry<String, Integer> read : LAZY_READS.entrySet()) {
                int before = sql(app);
                actual.add(app.request(read.getKey()));
                assertEquals(before + read.getValue(), sql(app), read.getKey() + " ran its own queries only");
            }

            // writes: the evict rules run before the mutator returns, so the next read is fresh
            actual.add(app.request(WRITES_AND_READS.get(0)));
            assertFalse(redis.exists("cache-aside:details:SKU-1"), "evicted by the @Transactional mutator");
            actual.add(app.request(WRITES_AND_READS.get(1)));
            assertTrue(redis.get("cache-aside:details:SKU-1").contains("\"priceCents\":150"),
                    redis.get("cache-aside:details:SKU-1"));
            actual.add(app.request(WRITES_AND_READS.get(2)));
            assertFalse(redis.exists("cache-aside:category:2"), "evicted by the repository's inherited save");
            assertFalse(redis.exists("cache-aside:details:SKU-2"), "dropped with its cache by the save");
            for (String request : WRITES_AND_READS.subList(3, WRITES_AND_READS.size())) {
                actual.add(app.request(request));
            }
            assertEquals("{\"id\":2,\"name\":\"renamed\"}", redis.get("cache-aside:category:2"));

            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), actual.get(i), "answer " + i + " with the agent");
            }
            for (String key : List.of("sku:SKU-3", "listing:SKU-3", "with-category:SKU-3")) {
                assertFalse(redis.exists("cache-aside:" + key), key + " holds an unloaded association: never stored");
            }
            assertLazyWarning(app, "product-by-sku", "a Hibernate lazy proxy of " + B + "Category that is not loaded,"
                    + " at " + B + "Product[\"category\"]");
            assertLazyWarning(app, "product-listing", "a Hibernate lazy proxy of " + B + "Category that is not loaded,"
                    + " at " + B + "Product[\"category\"]");
            assertLazyWarning(app, "product-with-category", "a Hibernate lazy collection"
                    + " (org.hibernate.collection.internal.PersistentSet) that is not loaded, at " + B
                    + "Product[\"reviews\"]");
            String output = app.output();
            assertTrue(output.contains("rule 'product-details' applies to " + B + "CatalogService#productDetails("),
                    output);
            assertFalse(output.contains("applies to " + B + "CatalogService$$"), output);
            for (String error : List.of("LazyInitializationException", "VerifyError", "NoClassDefFoundError",
                    "NoSuchMethodError", "could not instrument")) {
                assertFalse(output.contains(error), error + " in\n" + output);
            }
        }
    }

    private static Map<String, Integer> lazyReads() {
        Map<String, Integer> reads = new LinkedHashMap<>();
        reads.put("GET /products/SKU-3/summary", 1);
        reads.put("GET /products/SKU-3/listing", 1);
        reads.put("GET /products/SKU-3/with-category", 2);
        return reads;
    }

    private static void assertLazyWarning(ServerProcess app, String rule, String where) {
        String output = app.output();
        String warning = "rule '" + rule + "': a value of " + B + "Product cannot be cached: it holds " + where;
        assertTrue(output.contains(warning), warning + " in\n" + output);
        assertEquals(1, output.split("rule '" + rule + "': a value", -1).length - 1, "one warning for " + rule);
    }

    private ServerProcess start(Path jdk, Path config) {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(), "-Xshare:auto"));
        if (config != null) {
            command.add("-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath() + "=" + config.toAbsolutePath());
        }
        command.addAll(List.of("-jar", APP_JAR.toAbsolutePath().toString()));
        ServerProcess app = ServerProcess.start(command, Map.of(), dir);
        try {
            String port = app.await(Pattern.compile("(?m)^READY (\\d+)$"), Duration.ofSeconds(150));
            return app.serving("http://127.0.0.1:" + port);
        } catch (RuntimeException | AssertionError e) {
            app.close();
            throw e;
        }
    }

    private static int sql(ServerProcess app) {
        Matcher matcher = Pattern.compile("\\{\"statements\":(\\d+)}").matcher(app.get("/sql").text());
        assertTrue(matcher.matches());
        return Integer.parseInt(matcher.group(1));
    }

    private static String prefixOf(String classes) {
        int end = classes.indexOf("$$EnhancerBySpringCGLIB$$");
        assertNotNull(classes);
        return end < 0 ? classes : classes.substring(0, end + "$$EnhancerBySpringCGLIB$$".length());
    }
}
