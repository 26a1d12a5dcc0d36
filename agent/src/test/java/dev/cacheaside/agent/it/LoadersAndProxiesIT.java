package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rules apply in class loaders other than the application's, and to JDK dynamic proxies. */
class LoadersAndProxiesIT extends RedisTestBase {

    private static final String F = "com.example.fixture.";
    private static final String RULES = String.join("\n",
            "cache {",
            "  user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\" }",
            "  spot { method = \"" + F + "Catalog#spot\", key = \"spot:{0}:{1}\" }",
            "  lookup { method = \"" + F + "Directory#lookup\", key = \"lookup:{0}\" }",
            "  money { method = \"" + F + "Awkward#money\", key = \"money:{0}\" }",
            "  tree { method = \"" + F + "Awkward#tree\", key = \"tree:{0}\" }",
            "  pair { method = \"" + F + "Awkward#pair\", key = \"pair:{0}:{1}\" }",
            "}");

    @ParameterizedTest
    @MethodSource("jdks")
    void childAndIsolatedLoaders_eachCacheWithTheirOwnCopyOfTheClasses(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            ForkedApp.Reply child = app.call("loaders", false, 3, 4);
            ForkedApp.Reply isolated = app.call("loaders", true, 3, 4);

            // the first copy misses once and hits once; the second copy hits twice, reading the value
            // as its own Spot class, not the first copy's
            assertEquals("LOADERS_1:own_0:own", child.value(), child.toString());
            assertEquals("LOADERS_0:own_0:own", isolated.value(), isolated.toString());
            assertTrue(redis.exists("cache-aside:spot:3:4"));
            assertFalse(app.stderr().contains("NoClassDefFoundError"), app.stderr());
        }
    }

    /** Regression: a near cache shared by two copies of a DAO served one copy's Spot to the other (null, ClassCastException). */
    @ParameterizedTest
    @MethodSource("jdks")
    void nearCache_twoLoaders_eachServedInstancesOfItsOwnClasses(Path jdk) {
        String rules = "cache { spot { method = \"" + F + "Catalog#spot\", key = \"spot:{0}:{1}\","
                + " near-cache.enabled = true } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            ForkedApp.Reply child = app.call("loaders", false, 5, 6);
            ForkedApp.Reply isolated = app.call("loaders", true, 5, 6);
            ForkedApp.Reply again = app.call("loaders", false, 5, 6);

            // the first copy misses once and hits once (filling its near cache); every later copy reads
            // Redis as its own Spot class instead of taking an earlier copy's near-cache prototype
            assertEquals("LOADERS_1:own_0:own", child.value(), child.toString());
            assertEquals("LOADERS_0:own_0:own", isolated.value(), isolated.toString());
            assertEquals("LOADERS_0:own_0:own", again.value(), again.toString());
            assertFalse(app.stderr().contains("ClassCastException"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void constructorOnlyClassAndCycle_roundTrip_andAreCached(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("125EUR", app.call("money", 125).value());
                assertEquals("root[root-child[]]", app.call("tree", "root").value());
            }

            assertEquals(1, app.runs("money"));
            assertEquals(1, app.runs("tree"));
            assertEquals("{\"cents\":125,\"currency\":\"EUR\"}", redis.get("cache-aside:money:125"));
            assertEquals("{\"@id\":1,\"name\":\"root\",\"children\":[{\"@id\":2,\"name\":\"root-child\",\"children\":[],"
                    + "\"parent\":1}],\"parent\":null}", redis.get("cache-aside:tree:root"));
            assertFalse(app.stderr().contains("cannot be cached"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void valuesThatDoNotRoundTrip_turnTheRuleOff_withOneWarningNamingCauseAndFix(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            for (int i = 0; i < 3; i++) {
                assertEquals("a/b", app.call("pair", "a", "b").value());
            }

            assertEquals(3, app.runs("pair"));
            assertFalse(redis.exists("cache-aside:pair:a:b"));
            String stderr = app.stderr();
            assertTrue(stderr.contains("rule 'pair': a value of com.example.fixture.Awkward$Pair cannot be cached:"
                    + " its class has no constructor the agent can call, so its JSON does not read back"), stderr);
            assertTrue(stderr.contains("(compile with -parameters)"), stderr);
            assertEquals(1, stderr.split("rule 'pair': a value", -1).length - 1, "one warning per rule");
            for (String line : stderr.split("\n")) {
                assertTrue(line.length() <= 2000, line);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jdkProxy_withoutATarget_isCached(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES))) {
            assertEquals("found:ada", app.call("lookup", "ada").value());
            assertEquals("found:ada", app.call("lookup", "ada").value());

            assertEquals(1, app.runs("lookup"));
            assertEquals("\"found:ada\"", redis.get("cache-aside:lookup:ada"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jdkProxy_aroundATargetWithTheSameRule_cachesOnce_withoutWaitingOnItself(Path jdk) {
        // a call waiting on its own lease would take the whole lease-wait: far longer than a cold first call
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES + "\ndefaults.lease-wait = 10s"))) {
            ForkedApp.Reply miss = app.call("proxiedUser", 2);
            ForkedApp.Reply hit = app.call("proxiedUser", 2);

            assertEquals("User{id=2,name=user2,team=even,tags=[t2]}", hit.value());
            assertEquals(miss.value(), hit.value());
            assertEquals(1, app.runs("findById"));
            assertEquals(1, app.runs("proxy.findById"), "the proxy served the hit itself");
            assertTrue(miss.elapsed().toMillis() < 5_000, "the nested call did not wait for its own lease: "
                    + miss.elapsed());
        }
    }

    /** Regression: PetClinic's OwnerRepository#findById(Integer) ran uncached under -javaagent. */
    @ParameterizedTest
    @MethodSource("jdks")
    void jdkProxyOfARedeclaredGenericMethod_isCached_atStartUp_andAfterAttach(Path jdk) {
        String rules = "log-level = debug\ncache { owner-by-id { method = \"" + F + "Owners$OwnerStore#findById(Integer)\","
                + " key = \"owner:{0}\" } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            assertOwnerCached(app, 7);
            assertTrue(app.stderr().matches("(?s).*rule 'owner-by-id' applies to [^\\n]*\\$Proxy\\d+"
                    + "#findById\\(Ljava/lang/Integer;\\).*"), app.stderr());
        }
        redis.flush();
        try (ForkedApp app = ForkedApp.start(jdk, null, AttachIT.DYNAMIC)) {
            app.call("ownerById", 8); // the proxy class is defined before the agent arrives
            AgentCli.Result attached = AgentCli.run(jdk, "attach", String.valueOf(app.pid()),
                    redis.config(dir, rules).toString());
            assertEquals(0, attached.exitCode(), attached.all());
            int before = app.runs("ownerById");

            app.call("ownerById", 8);
            app.call("ownerById", 8);

            assertEquals(before + 1, app.runs("ownerById"), "after attach: one miss, then a hit");
            assertEquals("\"owner-8\"", redis.get("cache-aside:owner:8"));
        }
    }

    private static void assertOwnerCached(ForkedApp app, int id) {
        ForkedApp.Reply miss = app.call("ownerById", id);
        ForkedApp.Reply hit = app.call("ownerById", id);

        assertEquals("Optional[owner-" + id + "]", miss.value());
        assertEquals(miss.value(), hit.value());
        assertEquals(1, app.runs("ownerById"), "the hit did not run the proxy's handler");
        assertEquals("\"owner-" + id + "\"", redis.get("cache-aside:owner:" + id));
    }
}
