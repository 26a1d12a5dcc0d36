package dev.cacheaside.agent.it;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counters operators read: JMX MBeans per rule, {@code stats PID}, and the staleness audit. */
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
            ObjectName userById = new ObjectName("cache-aside:type=Rule,name=user-by-id");
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            assertTrue(RedisFixture.await(() -> registered(server, userById), Duration.ofSeconds(10)));
            assertEquals(1L, server.getAttribute(userById, "AuditMismatches"));
            assertTrue(redis.get("cache-aside:user:4").contains("changed-behind-the-cache"), "entry replaced");
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
