package dev.cacheaside.agent.it;

import com.sun.tools.attach.VirtualMachine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A value that changes behind the cache, with no evict rule: the audits' stale-hit ratio passes
 * max-stale-ratio, the rule puts itself in shadow mode, and an edit of the config brings caching back.
 */
class StaleRatioIT extends RedisTestBase {

    private static final String RULE = "user-by-id { method = \"com.example.fixture.UserRepository#findById\","
            + " key = \"user:{0}\", audit-rate = %s, max-stale-ratio = 10%%, on-stale = shadow }";
    private static final String KEY = "cache-aside:user:4";
    private static final Duration APPLIED = Duration.ofSeconds(10);

    private String config(String auditRate, String comment) {
        return "cache-aside {\n  # " + comment + "\n  redis.uri = \"" + redis.server.uri() + "\"\n"
                + "  stats-interval = 0\n  cache {\n    " + String.format(RULE, auditRate) + "\n  }\n}\n";
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleHitsOverTheLimit_shadowTheRule_untilTheConfigIsEdited(Path jdk) throws Exception {
        Path file = dir.resolve("agent.conf");
        Files.writeString(file, config("1.0", "first"));
        try (ForkedApp app = ForkedApp.start(jdk, file);
             JMXConnector jmx = connect(app.pid())) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            ObjectName rule = new ObjectName("cache-aside:type=Rule,name=user-by-id");
            assertTrue(RedisFixture.await(() -> registered(server, rule), APPLIED));

            app.call("user", 4);
            // each round: the update's own read is an audit that matches, the read after it one that finds
            // the entry stale, since no evict rule covers the update: 50% of the audits
            for (int round = 1; round <= 9; round++) {
                app.call("update", 4, "v" + round);
                assertEquals("User{id=4,name=v" + round + ",team=even,tags=[t4]}", app.call("user", 4).value());
            }
            assertEquals("on", server.getAttribute(rule, "State"), "18 audits: too few to judge");
            assertEquals(18, server.getAttribute(rule, "WindowAudits"));
            assertEquals(0.5, (Double) server.getAttribute(rule, "StaleRatio"), 1e-9);

            app.call("update", 4, "v10");
            assertEquals("User{id=4,name=v10,team=even,tags=[t4]}", app.call("user", 4).value());
            assertEquals("shadow", server.getAttribute(rule, "State"), app.stderr());
            assertEquals(20L, server.getAttribute(rule, "Audits"));
            assertEquals(10L, server.getAttribute(rule, "AuditMismatches"));
            assertEquals(20, server.getAttribute(rule, "WindowAudits"));
            assertEquals(0.5, (Double) server.getAttribute(rule, "StaleRatio"), 1e-9);
            assertTrue(((String) server.getAttribute(rule, "ShadowReason")).startsWith("stale-hit ratio 50.0% (10"
                    + " stale of 20 audits in the last 5 minutes) over max-stale-ratio 10.0%"), app.stderr());
            assertTrue(app.awaitStderr("): stale-hit ratio 50.0% (10 stale of 20 audits in the last 5 minutes), over"
                    + " max-stale-ratio 10.0%", APPLIED), app.stderr());
            assertTrue(app.stderr().contains("No evict rule covers this cache"), app.stderr());
            assertTrue(app.stderr().contains("The rule is now in shadow mode"), app.stderr());

            // shadow mode: the method runs on every call and its fresh value is returned; nothing is stored,
            // and hits are no longer audited
            String cached = redis.get(KEY);
            app.call("update", 4, "behind");
            int runs = app.runs("findById");
            for (int call = 1; call <= 3; call++) {
                assertEquals("User{id=4,name=behind,team=even,tags=[t4]}", app.call("user", 4).value());
                assertEquals(runs + call, app.runs("findById"));
            }
            assertEquals(cached, redis.get(KEY), "a stale entry is neither audited nor replaced in shadow mode");
            assertEquals(20L, server.getAttribute(rule, "Audits"));
            redis.flush();
            app.call("user", 4);
            assertNull(redis.get(KEY), "a miss stores nothing in shadow mode");

            AgentCli.Result stats = AgentCli.run(jdk, "stats", String.valueOf(app.pid()));
            assertEquals(0, stats.exitCode(), stats.all());
            assertTrue(stats.stdout().matches("(?s).*\\nuser-by-id\\s+cache\\s.*\\sshadow\\n.*"), stats.stdout());
            assertTrue(stats.stdout().contains("rule 'user-by-id': 20 audits, 10 stale; stale-hit ratio 50.0% of the"
                    + " 20 audits in the last 5 minutes"), stats.stdout());
            assertTrue(stats.stdout().contains("rule 'user-by-id' switched itself to shadow mode until the config is"
                    + " reloaded: stale-hit ratio 50.0%"), stats.stdout());

            // an edit that leaves the rule as it was: caching again, with a fresh window
            Files.writeString(file, config("1.0", "second"));
            assertTrue(app.awaitStderr("applied edit of ", APPLIED), app.stderr());
            assertEquals("on", server.getAttribute(rule, "State"));
            assertEquals(0, server.getAttribute(rule, "WindowAudits"));
            assertEquals("", server.getAttribute(rule, "ShadowReason"));
            app.call("user", 4);
            assertTrue(redis.get(KEY).contains("\"behind\""), "a miss stores again: " + redis.get(KEY));
            app.call("update", 4, "after");
            assertEquals("User{id=4,name=after,team=even,tags=[t4]}", app.call("user", 4).value());
            assertTrue(redis.get(KEY).contains("\"after\""), "the audit replaces a stale entry again: " + redis.get(KEY));
            assertEquals(11L, server.getAttribute(rule, "AuditMismatches"));

            Files.writeString(file, config("0", "third"));
            assertTrue(RedisFixture.await(() -> count(app.stderr(), "applied edit of ") >= 2, APPLIED), app.stderr());
            int before = app.runs("findById");
            assertEquals("User{id=4,name=after,team=even,tags=[t4]}", app.call("user", 4).value());
            assertEquals("User{id=4,name=after,team=even,tags=[t4]}", app.call("user", 4).value());
            assertEquals(before, app.runs("findById"), "hits are served from the cache without running the method");
            assertFalse(app.stderr().contains("switched itself"), "the state is reported, not logged as such");
        }
    }

    private static int count(String text, String fragment) {
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            count++;
        }
        return count;
    }

    private static boolean registered(MBeanServerConnection server, ObjectName name) {
        try {
            return server.isRegistered(name);
        } catch (IOException e) {
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
