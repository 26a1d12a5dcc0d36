package dev.cacheaside.agent.it;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot 4 executable jar ({@code fixtures/spring-boot-app}) run with {@code java -jar}: its classes
 * come from Boot's nested-jar class loader, its repositories are Spring Data JDK proxies, its
 * {@code @Transactional} service a CGLIB subclass, its entities Hibernate's, with lazy associations.
 */
class SpringBootIT extends RedisTestBase {

    private static final Path APP_JAR = Path.of(System.getProperty("spring-boot.app.jar",
            "../fixtures/spring-boot-app/target/spring-boot-app.jar"));
    private static final String B = "com.example.boot.";
    private static final String RULES = String.join("\n",
            "log-level = debug",
            "cache {",
            "  category-by-id { method = \"" + B + "CategoryRepository#findById\", key = \"category:{0}\" }",
            "  product-by-sku { method = \"" + B + "ProductRepository#findBySku(String)\", key = \"sku:{0}\" }",
            "  product-details { method = \"" + B + "CatalogService#productDetails(String)\", key = \"details:{0}\" }",
            "  product-listing { method = \"" + B + "CatalogService#productListing(String)\", key = \"listing:{0}\" }",
            "  review-by-id { method = \"" + B + "ReviewRepository#findById(Long)\", key = \"review:{0}\" }",
            "}",
            "evict {",
            "  product-price { method = \"" + B + "CatalogService#changePrice\", keys = [\"details:{0}\"] }",
            // matches the repository proxy and SimpleJpaRepository, which the proxy calls
            "  category-save { method = \"org.springframework.data.repository.CrudRepository#save\",",
            "    keys = [\"category:{0.id}\"], caches = [\"review-by-id\"], repeat-after = 300ms }",
            "}");

    /** One application per JDK for the whole class: Spring Boot with JPA takes seconds to start. */
    private static final Map<Path, ForkedApp> APPS = new HashMap<>();

    @TempDir
    static Path configDir;

    /** Where each application serves its Prometheus metrics. */
    private static final Map<Path, Integer> PROMETHEUS_PORTS = new HashMap<>();
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    private static ForkedApp app(Path jdk) {
        return APPS.computeIfAbsent(jdk, home -> {
            int port = dev.cacheaside.testkit.RedisServer.freePort();
            PROMETHEUS_PORTS.put(home, port);
            String rules = RULES + "\nprometheus { host = \"127.0.0.1\", port = " + port + " }";
            return ForkedApp.launch(home, redis.config(configDir, rules),
                    List.of("-jar", APP_JAR.toAbsolutePath().toString()));
        });
    }

    @AfterAll
    static void stopApps() {
        APPS.values().forEach(ForkedApp::close);
        APPS.clear();
    }

    /** Spring Boot 4 needs Java 17. */
    static List<Path> jdks() {
        return Jdks.between(17, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void rules_applyToClassesOfTheNestedJar_andToTheTargetOfTheCglibProxy(Path jdk) {
        ForkedApp app = app(jdk);

        ForkedApp.Reply classes = app.call("classes");

        assertEquals("org.springframework.boot.loader.launch.LaunchedClassLoader,nested-jar,"
                + "com.example.boot.CatalogService$$SpringCGLIB$$0,cglib,jdk-proxy", classes.value());
        String stderr = app.stderr();
        assertTrue(stderr.contains("rule 'product-details' applies to com.example.boot.CatalogService#productDetails("),
                stderr);
        assertTrue(stderr.contains("rule 'product-price' applies to com.example.boot.CatalogService#changePrice("),
                stderr);
        assertFalse(stderr.contains("applies to com.example.boot.CatalogService$$"),
                "the CGLIB subclass delegates to the target, so only the target carries the rules");
        assertTrue(stderr.matches("(?s).*rule 'category-by-id' applies to jdk\\.proxy\\d+\\.\\$Proxy\\d+#findById.*"),
                stderr);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void repositoryFindById_secondCall_isServedFromRedis_asAnEqualEntity(Path jdk) {
        ForkedApp app = app(jdk);

        ForkedApp.Reply miss = app.call("categoryById", 1);
        int sqlAfterMiss = app.runs("sql");
        ForkedApp.Reply hit = app.call("categoryById", 1);

        assertEquals("Optional<Category>", miss.type());
        assertEquals("Optional[Category{id=1,name=category-1}]", miss.value());
        assertEquals(miss.type(), hit.type(), "read back as the entity of the generic Optional<T> findById(ID)");
        assertEquals(miss.value(), hit.value());
        assertEquals(sqlAfterMiss, app.runs("sql"), "the hit ran no query");
        assertEquals("{\"id\":1,\"name\":\"category-1\"}", redis.get("cache-aside:category:1"));
    }

    /** Spring PetClinic's OwnerRepository: {@code Optional<Owner> findById(Integer)} over {@code CrudRepository}. */
    @ParameterizedTest
    @MethodSource("jdks")
    void repositoryRedeclaringFindByIdWithItsIdType_isCachedFromStartUp(Path jdk) {
        ForkedApp app = app(jdk);

        ForkedApp.Reply miss = app.call("reviewById", 11);
        int sqlAfterMiss = app.runs("sql");
        ForkedApp.Reply hit = app.call("reviewById", 11);

        assertEquals("Optional[Review{id=11,stars=5,text=good-1}]", miss.value());
        assertEquals(miss.value(), hit.value());
        assertEquals(sqlAfterMiss, app.runs("sql"), () -> "the hit ran no query; stderr:\n" + app.stderr());
        assertEquals("{\"id\":11,\"stars\":5,\"text\":\"good-1\"}", redis.get("cache-aside:review:11"));
        String stderr = app.stderr();
        assertTrue(stderr.matches("(?s).*rule 'review-by-id' applies to jdk\\.proxy\\d+\\.\\$Proxy\\d+"
                + "#findById\\(Ljava/lang/Long;\\).*"), stderr);
        assertFalse(stderr.matches("(?s).*rule 'review-by-id' applies to [^\\n]*findById\\(Ljava/lang/Object;\\).*"),
                "the rule names findById(Long): the erased findById(Object) of CrudRepository stays as it is");
    }

    /** The repository proxy and SimpleJpaRepository behind it both match a rule on CrudRepository#save. */
    @ParameterizedTest
    @MethodSource("jdks")
    void inheritedSave_throughProxyAndImplementation_evictsOncePerCall_plusItsRepeat(Path jdk) {
        ForkedApp app = app(jdk);
        redis.set("cache-aside:category:2", "{\"id\":2,\"name\":\"category-2\"}");
        redis.set("cache-aside:review:21", "{}");
        Map<String, Long> before = commandCalls();

        assertTrue(app.call("saveCategory", 2, "renamed").ok());

        assertFalse(redis.exists("cache-aside:category:2"), "evicted before save returned");
        assertFalse(redis.exists("cache-aside:review:21"), "the review-by-id cache dropped before save returned");
        ForkedApp.sleep(1_000); // repeat-after = 300ms
        Map<String, Long> after = commandCalls();
        assertEquals(2, after.getOrDefault("del", 0L) - before.getOrDefault("del", 0L),
                "one DEL for the call and one for its repeat: " + before + " -> " + after);
        assertEquals(2, after.getOrDefault("scan", 0L) - before.getOrDefault("scan", 0L),
                "one drop (a single SCAN page here) for the call and one for its repeat: " + before + " -> " + after);
    }

    /**
     * JDK 21+ prints a warning into the application whenever an agent is loaded while it runs: stats and
     * --status read the MBeans through the JVM's local JMX connector instead. A rule that turned itself off
     * shows so in both, in JMX and in Prometheus.
     */
    @Test
    void statsAndStatus_printNothingIntoTheApplication_andShowARuleThatTurnedItselfOff() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK_25.resolve("bin/java")), "needs " + JDK_25);
        ForkedApp app = app(JDK_25);
        app.call("productBySku", "SKU-1"); // a lazy association: the rule turns itself off
        app.call("productBySku", "SKU-1");
        String off = "a value of com.example.boot.Product cannot be cached: it holds a Hibernate lazy proxy of"
                + " com.example.boot.Category that is not loaded";
        assertTrue(app.awaitStderr("rule 'product-by-sku': " + off, Duration.ofSeconds(5)), app.stderr());
        ForkedApp.sleep(300);
        int stderrBefore = app.stderr().length();

        AgentCli.Result stats = AgentCli.run(JDK_25, "stats", String.valueOf(app.pid()));
        AgentCli.Result status = AgentCli.run(JDK_25, "attach", String.valueOf(app.pid()), "--status");

        assertEquals(0, stats.exitCode(), stats.all());
        assertEquals(0, status.exitCode(), status.all());
        ForkedApp.sleep(500);
        assertEquals("", app.stderr().substring(stderrBefore), "nothing printed into the application's stderr");
        app.runs("sql"); // its stdout holds no stray line either: the next answer is the one asked for
        assertTrue(stats.stdout().matches("(?s).*\\nproduct-by-sku\\s+cache\\s.*\\soff\\n.*"), stats.stdout());
        assertTrue(stats.stdout().matches("(?s).*\\ncategory-by-id\\s+cache\\s.*\\son\\n.*"), stats.stdout());
        assertTrue(stats.stdout().contains("rule 'product-by-sku' turned itself off until the config is reloaded: "
                + off), stats.stdout());
        assertTrue(status.stdout().startsWith("cache-aside agent: active, config "), status.stdout());
        assertTrue(status.stdout().matches("(?s).*\\nproduct-by-sku\\s+cache\\s.*\\soff\\n.*"), status.stdout());
        assertTrue(status.stdout().contains("rule 'product-by-sku' turned itself off until the config is reloaded: "
                + off), status.stdout());

        try (JMXConnector jmx = jmx(app.pid())) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName rule = new ObjectName("cache-aside:type=Rule,name=product-by-sku");
            assertEquals("off", server.getAttribute(rule, "State"));
            assertTrue(((String) server.getAttribute(rule, "OffReason")).startsWith(off));
            assertTrue((Long) server.getAttribute(rule, "OffCalls") >= 1L, "calls after it turned off are counted");
            assertEquals("on", server.getAttribute(new ObjectName("cache-aside:type=Rule,name=category-by-id"),
                    "State"));
        }
        String metrics = new String(URI.create("http://127.0.0.1:" + PROMETHEUS_PORTS.get(JDK_25) + "/metrics")
                .toURL().openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(metrics.contains("cache_aside_rule_off{rule=\"product-by-sku\"} 1\n"), metrics);
        assertTrue(metrics.contains("cache_aside_rule_off{rule=\"category-by-id\"} 0\n"), metrics);
    }

    private static JMXConnector jmx(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    /** Calls per command since the server started, from INFO commandstats. */
    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        try (var jedis = redis.jedis()) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String command = line.substring(8, line.indexOf(':'));
                    String count = line.replaceAll("[^:]*:calls=(\\d+).*", "$1");
                    calls.put(command, Long.parseLong(count));
                }
            }
        }
        return calls;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void transactionalService_cachesOncePerCall_withItsLoadedAssociations(Path jdk) {
        ForkedApp app = app(jdk);
        int runsBefore = app.runs("productDetails");

        ForkedApp.Reply miss = app.call("productDetails", "SKU-1");
        int sqlAfterMiss = app.runs("sql");
        ForkedApp.Reply hit = app.call("productDetails", "SKU-1");

        assertEquals("Product{id=1,sku=SKU-1,name=product-1,priceCents=100,category=Category{id=1,name=category-1},"
                + "reviews=[Review{id=11,stars=5,text=good-1},_Review{id=12,stars=3,text=fair-1}]}", miss.value());
        assertEquals(miss.value(), hit.value(), "the entity, its category and its reviews come back equal");
        assertEquals(runsBefore + 1, app.runs("productDetails"));
        assertEquals(sqlAfterMiss, app.runs("sql"), "the hit ran no query");
        String stored = redis.get("cache-aside:details:SKU-1");
        assertTrue(stored.startsWith("{\"category\":{\"id\":1,\"name\":\"category-1\"},"),
                "the loaded proxy is stored as the entity it stands for: " + stored);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void evictRuleOnTransactionalMutator_makesTheNextReadFresh(Path jdk) {
        ForkedApp app = app(jdk);
        app.call("productDetails", "SKU-3");
        assertTrue(redis.exists("cache-aside:details:SKU-3"));
        int runsBefore = app.runs("productDetails");

        assertTrue(app.call("changePrice", "SKU-3", 777).ok());
        assertFalse(redis.exists("cache-aside:details:SKU-3"), "evicted before the mutator returned");
        ForkedApp.Reply fresh = app.call("productDetails", "SKU-3");

        assertTrue(fresh.value().contains("priceCents=777"), fresh.value());
        assertEquals(runsBefore + 1, app.runs("productDetails"));
        assertTrue(redis.get("cache-aside:details:SKU-3").contains("\"priceCents\":777"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void lazyAssociationsNotLoaded_turnTheirRuleOff_withOneWarning_andLoadNothing(Path jdk) {
        ForkedApp app = app(jdk);

        // findBySku returns after its transaction, productListing inside one: neither value is loaded
        for (String op : List.of("productBySku", "productListing")) {
            for (int i = 0; i < 3; i++) {
                int sqlBefore = app.runs("sql");
                ForkedApp.Reply reply = app.call(op, "SKU-2");
                assertEquals("Product{id=2,sku=SKU-2,name=product-2,priceCents=200,category=lazy,reviews=lazy}",
                        reply.value(), op + " still returns the product with its associations unloaded");
                assertEquals(sqlBefore + 1, app.runs("sql"), op + " ran its own query and nothing more");
            }
        }

        assertFalse(redis.exists("cache-aside:sku:SKU-2"));
        assertFalse(redis.exists("cache-aside:listing:SKU-2"));
        String stderr = app.stderr();
        for (String rule : List.of("product-by-sku", "product-listing")) {
            String warning = "rule '" + rule + "': a value of com.example.boot.Product cannot be cached: it holds a"
                    + " Hibernate lazy proxy of com.example.boot.Category that is not loaded, at"
                    + " com.example.boot.Product[\"category\"].";
            assertTrue(stderr.contains(warning), stderr);
            assertEquals(1, stderr.split("rule '" + rule + "': a value", -1).length - 1, "one warning per rule");
        }
        assertTrue(stderr.contains("load the association inside the method (a JOIN FETCH query"), stderr);
        assertFalse(stderr.contains("LazyInitializationException"), stderr);
    }
}
