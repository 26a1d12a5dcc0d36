package dev.cacheaside.agent.it;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counters operators read: JMX MBeans per rule, {@code stats PID}, the Prometheus endpoint, and the
 * staleness audit.
 */
class MetricsIT extends RedisTestBase {

    private static final String F = "com.example.fixture.";

    @ParameterizedTest
    @MethodSource("jdks")
    void mbeansAndStats_moveAsCallsAreMade(Path jdk) throws Exception {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, CacheAsideIT.RULES));
             JMXConnector jmx = connect(app.pid())) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName userById = new ObjectName("cache-aside:type=Rule,name=user-by-id");
            assertTrue(RedisFixture.await(() -> registered(server, userById), Duration.ofSeconds(10)));

            app.call("user", 1);
            app.call("user", 1);
            app.call("user", 1);
            app.call("update", 1, "changed");

            assertEquals(3L, server.getAttribute(userById, "Hits"), "two hits, and the update's own read");
            assertEquals(1L, server.getAttribute(userById, "Misses"));
            assertEquals(0.75, (Double) server.getAttribute(userById, "HitRatio"), 1e-9);
            assertEquals(1L, server.getAttribute(userById, "Stores"));
            assertEquals(0L, server.getAttribute(userById, "Errors"));
            assertEquals(0L, server.getAttribute(userById, "AuditMismatches"));
            assertTrue((Double) server.getAttribute(userById, "HitLatencyP99Micros") > 0);
            ObjectName update = new ObjectName("cache-aside:type=Rule,name=user-update");
            assertTrue((Long) server.getAttribute(update, "Evictions") >= 1L);

            app.call("user", 2);
            app.call("user", 2);
            assertEquals(4L, server.getAttribute(userById, "Hits"));

            AgentCli.Result stats = AgentCli.run(jdk, "stats", String.valueOf(app.pid()));
            assertEquals(0, stats.exitCode(), stats.all());
            assertTrue(stats.stdout().contains("HIT p50/p99 (us)"), stats.stdout());
            assertTrue(stats.stdout().matches("(?s).*user-by-id\\s+cache\\s+4\\s+2\\s+66\\.7%\\s+2\\s.*"),
                    stats.stdout());
            assertTrue(stats.stdout().matches("(?s).*user-update\\s+evict\\s+-\\s+-\\s+-\\s+-\\s+1\\s.*"),
                    stats.stdout());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void audit_findsAMissingEvictRule(Path jdk) throws Exception {
        String rules = "cache { user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\","
                + " audit-rate = 1 } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules));
             JMXConnector jmx = connect(app.pid())) {
            app.call("user", 4);
            app.call("update", 4, "changed-behind-the-cache");
            ForkedApp.Reply audited = app.call("user", 4);

            assertEquals("User{id=4,name=changed-behind-the-cache,team=even,tags=[t4]}", audited.value());
            assertTrue(app.awaitStderr("audit found a stale entry at key 'cache-aside:user:4'", Duration.ofSeconds(5)),
                    app.stderr());
            // the one mutator that ran since the entry was stored is named; readers and idle mutators are not
            assertTrue(app.stderr().contains("Methods of com.example.fixture.InMemoryUserRepository that ran in this"
                    + " JVM since the entry was stored, about 0 s ago: update(com.example.fixture.User) (no evict"
                    + " rule)."), app.stderr());
            ObjectName userById = new ObjectName("cache-aside:type=Rule,name=user-by-id");
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            assertTrue(RedisFixture.await(() -> registered(server, userById), Duration.ofSeconds(10)));
            assertEquals(1L, server.getAttribute(userById, "AuditMismatches"));
            assertTrue(redis.get("cache-aside:user:4").contains("changed-behind-the-cache"), "entry replaced");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void prometheusEndpoint_servesTheCounters_andMetricsFalseLeavesHitsUncounted(Path jdk) throws Exception {
        int port = dev.cacheaside.testkit.RedisServer.freePort();
        String rules = "prometheus { host = \"127.0.0.1\", port = " + port + " }\n"
                + "cache {\n"
                + "  user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\" }\n"
                + "  team { method = \"" + F + "UserRepository#findByTeam\", key = \"team:{0}\", metrics = false }\n"
                + "}";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            app.call("user", 1);
            app.call("user", 1);
            app.call("team", "odd");
            app.call("team", "odd");
            app.call("team", "odd");

            assertEquals(1, app.runs("findByTeam"), "a rule with metrics = false still caches");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> scrape = RedisFixture.awaitValue(() -> scrape(http, port), Duration.ofSeconds(10));
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = scrape.body();
            assertTrue(body.contains("# TYPE cache_aside_hits_total counter\n"), body);
            assertTrue(body.contains("cache_aside_hits_total{rule=\"user-by-id\"} 1\n"), body);
            assertTrue(body.contains("cache_aside_misses_total{rule=\"user-by-id\"} 1\n"), body);
            assertTrue(body.contains("cache_aside_stores_total{rule=\"user-by-id\"} 1\n"), body);
            assertTrue(body.contains("cache_aside_errors_total{rule=\"user-by-id\",kind=\"redis\"} 0\n"), body);
            assertTrue(body.contains("cache_aside_redis_available 1\n"), body);
            assertTrue(body.matches("(?s).*cache_aside_hit_latency_seconds\\{rule=\"user-by-id\",quantile=\"0.99\"}"
                    + " 0\\.\\d*[1-9]\\d*\n.*"), "a non-zero latency: " + body);
            assertTrue(body.contains("# TYPE cache_aside_hit_latency_seconds summary\n"), body);
            assertTrue(body.contains("cache_aside_hit_latency_seconds_count{rule=\"user-by-id\"} 1\n"), body);
            assertTrue(body.matches("(?s).*cache_aside_hit_latency_seconds_sum\\{rule=\"user-by-id\"}"
                    + " 0\\.\\d*[1-9]\\d*\n.*"), "the one hit's time: " + body);
            assertTrue(body.contains("cache_aside_hits_total{rule=\"team\"} 0\n"), "metrics = false: " + body);
            assertTrue(body.contains("cache_aside_stores_total{rule=\"team\"} 1\n"), body);
            assertFalse(body.contains("cache_aside_hit_latency_seconds{rule=\"team\""), body);
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/other"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode());

            AgentCli.Result stats = AgentCli.run(jdk, "stats", String.valueOf(app.pid()));
            assertTrue(stats.stdout().matches("(?s).*\\nteam\\s+cache\\s+-\\s+1\\s+-\\s+1\\s.*metrics = false.*"),
                    stats.stdout());
        }
    }

    private static HttpResponse<String> scrape(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean registered(MBeanServerConnection server, ObjectName name) {
        try {
            return server.isRegistered(name);
        } catch (Exception e) {
            return false;
        }
    }

    private static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }
}
