package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache-aside behaviour of the contract, in a forked JVM with the shaded agent, on a real Redis. */
class CacheAsideIT extends RedisTestBase {

    static final String FIXTURE = "com.example.fixture.";
    static final String RULES = String.join("\n",
            "cache {",
            "  user-by-id { method = \"" + FIXTURE + "UserRepository#findById(long)\", key = \"user:{0}\", ttl = 5m,"
                    + " cache-nulls = true }",
            "  team { method = \"" + FIXTURE + "UserRepository#findByTeam\", key = \"team:{0}\", ttl = 1m }",
            "  count { method = \"" + FIXTURE + "Catalog#count\", key = \"count:{0}\" }",
            "  ids { method = \"" + FIXTURE + "Catalog#ids\" }",
            "  color { method = \"" + FIXTURE + "Catalog#color\" }",
            "  point { method = \"" + FIXTURE + "modern.Shapes#point(int, int)\", key = \"point:{0}:{1}\" }",
            "  maybe { method = \"" + FIXTURE + "Catalog#maybe\", key = \"maybe:{0}\" }",
            "  async { method = \"" + FIXTURE + "Catalog#async\", key = \"async:{0}\" }",
            "  async-team { method = \"" + FIXTURE + "Catalog#asyncTeam\", key = \"async-team:{0}\" }",
            "  index { method = \"" + FIXTURE + "Catalog#index\", key = \"index\" }",
            "  array { method = \"" + FIXTURE + "Catalog#array\" }",
            "  nullable { method = \"" + FIXTURE + "Catalog#nullable\", key = \"nullable:{0}\" }",
            "  nullable-cached { method = \"" + FIXTURE + "Catalog#nullableCached\", key = \"nc:{0}\","
                    + " cache-nulls = true }",
            "  failing { method = \"" + FIXTURE + "Catalog#failing\", key = \"failing:{0}\" }",
            "  flag { method = \"" + FIXTURE + "Catalog#flag\" }",
            "  ratio { method = \"" + FIXTURE + "Catalog#ratio\" }",
            "  price { method = \"" + FIXTURE + "Catalog#price\" }",
            "  instant { method = \"" + FIXTURE + "Catalog#instant\" }",
            "  find-long { method = \"" + FIXTURE + "Catalog#find(long)\", key = \"find:{0}\" }",
            "  echo { method = \"" + FIXTURE + "Catalog#echo\", key = \"echo:{0}\" }",
            "  by-user { method = \"" + FIXTURE + "Catalog#byUser\", key = \"by-user:{0.name}\" }",
            "}",
            "evict {",
            "  user-update { method = \"" + FIXTURE + "UserRepository#update\", keys = [\"user:{0.id}\"],"
                    + " caches = [\"team\"] }",
            "  user-create { method = \"" + FIXTURE + "UserRepository#create\", keys = [\"user:{result.id}\"] }",
            "  user-delete { method = \"" + FIXTURE + "UserRepository#delete(long)\", keys = [\"user:{0}\"] }",
            "}");

    private ForkedApp start(Path jdk) {
        return ForkedApp.start(jdk, redis.config(dir, RULES));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void hit_skipsTheBody_andTheEntryIsPlainJsonWithTheRuleTtl(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            ForkedApp.Reply miss = app.call("user", 1);
            ForkedApp.Reply hit = app.call("user", 1);

            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", miss.value());
            assertEquals(miss.value(), hit.value());
            assertEquals("User", hit.type());
            assertEquals(1, app.runs("findById"));
            assertEquals("{\"id\":1,\"name\":\"user1\",\"tags\":[\"t1\"],\"team\":\"odd\"}",
                    redis.get("cache-aside:user:1"));
            long ttl = redis.ttl("cache-aside:user:1");
            assertTrue(ttl > 290 && ttl <= 300, "ttl " + ttl);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyReturnForm_comesBackAsTheDeclaredType(Path jdk) {
        Object[][] calls = {
            {"count", "count", new Object[] {"abcd"}, "Integer", "4"},
            {"ids", "ids", new Object[] {3}, "long[]", "[0,_10,_20]"},
            {"color", "color", new Object[] {"BLUE"}, "Color", "BLUE"},
            {"point", "point", new Object[] {1, 2}, "Point", "Point[x=1,_y=2,_label=p1_2]"},
            {"maybe", "maybe", new Object[] {5}, "Optional<User>", "Optional[User{id=5,name=maybe5,team=odd,tags=[t5]}]"},
            {"maybe", "maybe", new Object[] {0}, "Optional", "Optional.empty"},
            {"async", "async", new Object[] {3}, "CompletableFuture", "User{id=3,name=async3,team=odd,tags=[t3]}"},
            {"asyncTeam", "asyncTeam", new Object[] {"red"}, "CompletableFuture",
                "[User{id=1,name=a,team=red,tags=[t1]},_User{id=2,name=b,team=red,tags=[t2]}]"},
            {"index", "index", new Object[0], "LinkedHashMap", "{odd=[1,_3],_even=[2,_4]}"},
            {"array", "array", new Object[] {"odd"}, "User[]",
                "[User{id=7,name=seven,team=odd,tags=[t7]},_User{id=8,name=eight,team=odd,tags=[t8]}]"},
            {"flag", "flag", new Object[] {"yes"}, "Boolean", "true"},
            {"ratio", "ratio", new Object[] {3}, "Double", "0.75"},
            {"price", "price", new Object[] {"x"}, "BigDecimal", "12.50"},
            {"instant", "instant", new Object[] {1000}, "Instant", "1970-01-01T00:16:40Z"},
            {"team", "findByTeam", new Object[] {"odd"}, "ArrayList<User>", null},
            {"echo", "echo", new Object[] {"hi"}, "String", "echo:hi"},
            {"byUser", "byUser", new Object[] {1, "ann"}, "String", "user:ann"},
        };
        try (ForkedApp app = start(jdk)) {
            for (Object[] call : calls) {
                String op = (String) call[0];
                if (op.equals("point") && Jdks.feature(jdk) < 16) {
                    continue; // no records before Java 16
                }
                String method = (String) call[1];
                Object[] arguments = (Object[]) call[2];
                int before = app.runs(method);
                ForkedApp.Reply first = app.call(op, arguments);
                if (op.startsWith("async")) {
                    String key = "cache-aside:" + (op.equals("async") ? "async:" : "async-team:") + arguments[0];
                    assertTrue(RedisFixture.await(() -> redis.exists(key), Duration.ofSeconds(5)), key);
                }
                ForkedApp.Reply second = app.call(op, arguments);

                assertEquals(call[3], second.type(), op);
                if (call[4] != null) {
                    assertEquals(call[4], first.value(), op);
                }
                assertEquals(first.value(), second.value(), op);
                assertEquals(before + 1, app.runs(method), op + ": the body must run once");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void null_isCachedOnlyWhereCacheNullsIsTrue(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            app.call("nullable", "none");
            app.call("nullable", "none");
            app.call("nullableCached", "none");
            ForkedApp.Reply cachedNull = app.call("nullableCached", "none");

            assertEquals(2, app.runs("nullable"));
            assertFalse(redis.exists("cache-aside:nullable:none"));
            assertEquals(1, app.runs("nullableCached"));
            assertEquals("null", redis.get("cache-aside:nc:none"));
            assertEquals("null", cachedNull.type());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void exception_propagatesUnchanged_andNothingIsStored(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            ForkedApp.Reply first = app.call("failing", -1);
            ForkedApp.Reply second = app.call("failing", -1);

            assertEquals("EX", first.status());
            assertEquals("java.lang.IllegalStateException", first.type());
            assertEquals("negative", first.value());
            assertEquals("EX", second.status());
            assertEquals(2, app.runs("failing"));
            assertFalse(redis.exists("cache-aside:failing:-1"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void evict_byKeyAndWholeCache_beforeTheMutatorReturns(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            app.call("user", 2);
            app.call("team", "even");
            app.call("team", "odd");
            assertTrue(redis.exists("cache-aside:user:2"));

            app.call("update", 2, "renamed");

            assertFalse(redis.exists("cache-aside:user:2"));
            assertFalse(redis.exists("cache-aside:team:even"));
            assertFalse(redis.exists("cache-aside:team:odd"));
            assertEquals("User{id=2,name=renamed,team=even,tags=[t2]}", app.call("user", 2).value());
            assertTrue(app.call("team", "even").value().contains("name=renamed"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void evict_byResultProperty_andWhenTheMutatorThrows(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            assertEquals("null", app.call("user", 101).value());
            assertEquals("null", redis.get("cache-aside:user:101"));

            ForkedApp.Reply created = app.call("create", "zed", "odd");

            assertEquals("User{id=101,name=zed,team=odd,tags=[t101]}", created.value());
            assertEquals(created.value(), app.call("user", 101).value());

            app.call("user", 999);
            assertTrue(redis.exists("cache-aside:user:999"));
            ForkedApp.Reply failed = app.call("delete", 999);
            assertEquals("EX", failed.status());
            assertEquals("java.lang.IllegalArgumentException", failed.type());
            assertFalse(redis.exists("cache-aside:user:999"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void parameterList_selectsOneOverload(Path jdk) {
        try (ForkedApp app = start(jdk)) {
            app.call("findLong", 1);
            app.call("findLong", 1);
            app.call("findString", 1);
            app.call("findString", 1);

            assertEquals(1, app.runs("find(long)"));
            assertEquals(2, app.runs("find(String)"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void storedValues_fromElsewhere_areServed_andUnreadableOnesAreDeleted(Path jdk) {
        redis.set("cache-aside:user:5", "{\"id\":5,\"name\":\"planted\",\"team\":\"odd\",\"tags\":[]}");
        redis.set("cache-aside:user:6", "{\"renamedField\":6}");
        try (ForkedApp app = start(jdk)) {
            assertEquals("User{id=5,name=planted,team=odd,tags=[]}", app.call("user", 5).value());
            assertEquals("User{id=6,name=user6,team=even,tags=[t6]}", app.call("user", 6).value());

            assertEquals(1, app.runs("findById"));
            assertEquals("{\"id\":6,\"name\":\"user6\",\"tags\":[\"t6\"],\"team\":\"even\"}",
                    redis.get("cache-aside:user:6"));
            assertTrue(app.stderr().contains("rule 'user-by-id': value at 'cache-aside:user:6' no longer reads"),
                    app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void ruleOptions_ttlJitterMaxValueSizeAndShadowMode(Path jdk) {
        String rules = String.join("\n",
                "cache {",
                "  user-by-id { method = \"" + FIXTURE + "UserRepository#findById\", key = \"user:{0}\", ttl = 100s,"
                        + " ttl-jitter = 50% }",
                "  team { method = \"" + FIXTURE + "UserRepository#findByTeam\", key = \"team:{0}\","
                        + " max-value-size = 64B }",
                "  count { method = \"" + FIXTURE + "Catalog#count\", key = \"count:{0}\", mode = shadow }",
                "}");
        redis.set("cache-aside:count:abc", "99");
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            long[] ttls = new long[10];
            for (int id = 1; id <= 10; id++) {
                app.call("user", id);
                ttls[id - 1] = redis.ttl("cache-aside:user:" + id);
            }
            app.call("team", "odd");
            app.call("team", "odd");
            ForkedApp.Reply shadowed = app.call("count", "abc");
            app.call("count", "abcd");

            assertTrue(java.util.Arrays.stream(ttls).allMatch(ttl -> ttl >= 49 && ttl <= 150),
                    java.util.Arrays.toString(ttls));
            assertTrue(java.util.Arrays.stream(ttls).distinct().count() > 1, java.util.Arrays.toString(ttls));
            assertFalse(redis.exists("cache-aside:team:odd"));
            assertEquals(2, app.runs("findByTeam"));
            assertTrue(app.awaitStderr("over max-value-size 64; not stored", Duration.ofSeconds(10)), app.stderr());
            assertEquals("3", shadowed.value());
            assertEquals(2, app.runs("count"));
            assertEquals("99", redis.get("cache-aside:count:abc"));
            assertFalse(redis.exists("cache-aside:count:abcd"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void audit_replacesAStaleEntry_andSaysAnEvictRuleMayBeMissing(Path jdk) {
        String rules = "cache { user-by-id { method = \"" + FIXTURE + "UserRepository#findById\", key = \"user:{0}\","
                + " audit-rate = 1 } }";
        redis.set("cache-aside:user:3", "{\"id\":3,\"name\":\"stale\",\"team\":\"odd\",\"tags\":[\"t3\"]}");
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            ForkedApp.Reply audited = app.call("user", 3);

            assertEquals("User{id=3,name=user3,team=odd,tags=[t3]}", audited.value());
            assertEquals("{\"id\":3,\"name\":\"user3\",\"tags\":[\"t3\"],\"team\":\"odd\"}",
                    redis.get("cache-aside:user:3"));
            // stderr is read on its own thread: the warning may arrive after the answer on stdout
            assertTrue(app.awaitStderr("[cache-aside] WARN rule 'user-by-id': audit found a stale entry at key"
                    + " 'cache-aside:user:3'", Duration.ofSeconds(10)), app.stderr());
            assertTrue(app.stderr().contains("An evict rule may be missing"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void configWithErrors_appStarts_messageNamesLineAndRule_goodRulesWork(Path jdk) {
        Path config = RedisFixture.writeConfig(dir, String.join("\n",
                "cache-aside {",
                "  redis.uri = \"" + redis.server.uri() + "\"",
                "  cache {",
                "    user-by-id { method = \"" + FIXTURE + "UserRepository#findById\", key = \"user:{0}\" }",
                "    broken { method = \"" + FIXTURE + "Catalog#count\", ttl = -1s }",
                "  }",
                "}"));
        try (ForkedApp app = ForkedApp.start(jdk, config)) {
            app.call("user", 1);
            app.call("user", 1);
            app.call("count", "x");
            app.call("count", "x");

            assertEquals(1, app.runs("findById"));
            assertEquals(2, app.runs("count"));
            assertTrue(app.stderr().contains(config.getFileName() + ": 5: cache-aside.cache.broken.ttl: must be positive,"
                    + " was '-1s'"), app.stderr());
            assertTrue(app.stderr().contains("rule cache.broken is skipped"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void disabledOrMissingConfig_appRunsUncached(Path jdk) {
        Path disabled = redis.config(dir, "enabled = false\n" + RULES);
        try (ForkedApp app = ForkedApp.start(jdk, disabled)) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(2, app.runs("findById"));
            assertTrue(app.stderr().contains("disabled by config"), app.stderr());
        }
        try (ForkedApp app = ForkedApp.start(jdk, dir.resolve("absent.conf"))) {
            app.call("user", 1);
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertEquals(2, app.runs("findById"));
            assertTrue(app.stderr().contains("absent.conf: config file not found; the agent is disabled"),
                    app.stderr());
        }
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES), "-Dcache-aside.enabled=false")) {
            app.call("user", 1);
            app.call("user", 1);
            assertEquals(2, app.runs("findById"));
        }
        Path unparsable = RedisFixture.writeConfig(dir, "cache-aside {\n  cache { user-by-id = \n");
        try (ForkedApp app = ForkedApp.start(jdk, unparsable)) {
            app.call("user", 1);
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertEquals(2, app.runs("findById"));
            assertTrue(app.stderr().contains(unparsable.getFileName().toString()), app.stderr());
            assertTrue(app.stderr().contains("the agent is disabled"), app.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void redisUri_fromEnvironment_andSystemProperty(Path jdk) {
        Path noUri = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"redis://127.0.0.1:1\"\n"
                + " redis.uri = ${?CACHE_ASIDE_REDIS_URI}\n stats-interval = 0\n" + RULES + "\n}\n");
        try (ForkedApp app = ForkedApp.start(jdk, noUri, Map.of("CACHE_ASIDE_REDIS_URI", redis.server.uri()))) {
            app.call("user", 4);
            assertTrue(redis.exists("cache-aside:user:4"));
        }
        Path config = RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \"redis://127.0.0.1:1\"\n"
                + " stats-interval = 0\n" + RULES + "\n}\n");
        try (ForkedApp app = ForkedApp.start(jdk, config, "-Dcache-aside.redis.uri=" + redis.server.uri(),
                "-Dcache-aside.key-prefix=sys:")) {
            app.call("user", 8);
            assertTrue(redis.exists("sys:user:8"));
            assertNull(redis.get("cache-aside:user:8"));
        }
    }
}
