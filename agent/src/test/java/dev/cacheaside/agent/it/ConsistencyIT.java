package dev.cacheaside.agent.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The races of cache-aside, made deterministic: a reader paused between its database read and its store
 * (the fixture's gate) while a writer updates and evicts. With leases the old value never lands in Redis;
 * without them it does, which is what these tests would catch.
 */
class ConsistencyIT extends RedisTestBase {

    private static final String F = "com.example.fixture.";
    private static final String RULES = String.join("\n",
            "cache {",
            "  user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\" }",
            "  team { method = \"" + F + "UserRepository#findByTeam\", key = \"team:{0}\" }",
            "  slow { method = \"" + F + "Catalog#slow\", key = \"slow:{0}\", lease-wait = 3s }",
            "}",
            "evict {",
            "  user-update { method = \"" + F + "UserRepository#update\", keys = [\"user:{0.id}\"], caches = [\"team\"] }",
            "}");
    private static final Duration SPAWNED = Duration.ofSeconds(30);

    private ForkedApp start(Path jdk, boolean leases) {
        return ForkedApp.start(jdk, redis.config(dir, "defaults.lease = " + leases + "\n" + RULES));
    }

    /** Reader misses and reads the old row; writer updates and evicts; reader's store comes last. */
    private static ForkedApp.Reply raceOnUser(ForkedApp reader, ForkedApp writer) {
        assertEquals("GATE ARMED", reader.command("gate arm"));
        assertEquals("SPAWNED r1", reader.command("spawn r1 user 1"));
        assertEquals("GATE REACHED", reader.command("gate await"));
        assertEquals("OK", writer.call("update", 1, "fresh").status());
        reader.command("gate release");
        return reader.awaitDone("r1", SPAWNED);
    }

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleFill_afterAnEviction_isNotStored(Path jdk) {
        try (ForkedApp app = start(jdk, true)) {
            ForkedApp.Reply reader = raceOnUser(app, app);

            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", reader.value(), "the reader saw the old row");
            assertFalse(redis.exists("cache-aside:user:1"), "its fill was voided: " + redis.get("cache-aside:user:1"));
            assertEquals("User{id=1,name=fresh,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertTrue(redis.get("cache-aside:user:1").contains("fresh"));
        }
    }

    @Test
    void staleFill_withoutLeases_isStored_whichIsTheRaceLeasesClose() {
        try (ForkedApp app = start(Jdks.current(), false)) {
            raceOnUser(app, app);

            assertTrue(redis.get("cache-aside:user:1").contains("user1"), "without a lease the old row is cached");
            assertEquals("User{id=1,name=user1,team=odd,tags=[t1]}", app.call("user", 1).value());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleFill_racingAWholeCacheDrop_doesNotSurviveIt(Path jdk) {
        try (ForkedApp app = start(jdk, true)) {
            app.call("team", "even");
            assertEquals("GATE ARMED", app.command("gate arm"));
            assertEquals("SPAWNED r1", app.command("spawn r1 team odd"));
            assertEquals("GATE REACHED", app.command("gate await"));
            app.call("update", 1, "fresh");
            app.command("gate release");
            ForkedApp.Reply reader = app.awaitDone("r1", SPAWNED);

            assertFalse(reader.value().contains("fresh"), "the reader read before the update");
            assertFalse(redis.exists("cache-aside:team:odd"), "the fill racing the drop was voided");
            assertFalse(redis.exists("cache-aside:team:even"), "the drop took the whole cache");
            assertTrue(app.call("team", "odd").value().contains("name=fresh"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleFill_acrossTwoJvms_isNotStored(Path jdk) {
        try (ForkedApp reader = start(jdk, true); ForkedApp writer = start(jdk, true)) {
            raceOnUser(reader, writer);

            assertFalse(redis.exists("cache-aside:user:1"), "the eviction in the writer's JVM voided the fill");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void repeatAfter_evictsAgain_aValueStoredAfterTheFirstEviction(Path jdk) {
        String rules = "cache { user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\" } }\n"
                + "evict { user-update { method = \"" + F + "UserRepository#update\", keys = [\"user:{0.id}\"],"
                + " repeat-after = 400ms } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules))) {
            app.call("update", 2, "committed-late");
            // a reader that read the row before a late commit stores the old value after the first eviction
            redis.set("cache-aside:user:2", "{\"id\":2,\"name\":\"before-commit\",\"team\":\"even\",\"tags\":[]}");

            assertTrue(RedisFixture.await(() -> !redis.exists("cache-aside:user:2"), Duration.ofSeconds(3)),
                    "the delayed second eviction removed it");
        }
    }

    @Test
    void auditReplacement_racingAnEviction_isNotStored() {
        String rules = "cache { user-by-id { method = \"" + F + "UserRepository#findById\", key = \"user:{0}\","
                + " audit-rate = 1 } }\n"
                + "evict { rename { method = \"" + F + "UserRepository#renameTeam\", caches = [\"user-by-id\"] } }";
        try (ForkedApp app = ForkedApp.start(Jdks.current(), redis.config(dir, rules))) {
            // a stale entry: the audit will find that the row differs and replace it
            redis.set("cache-aside:user:1", "{\"id\":1,\"name\":\"planted\",\"team\":\"odd\",\"tags\":[]}");
            assertEquals("GATE ARMED", app.command("gate arm"));
            assertEquals("SPAWNED r1", app.command("spawn r1 user 1"));
            assertEquals("GATE REACHED", app.command("gate await"));  // the audit read team=odd
            assertEquals("OK", app.call("renameTeam", "odd", "blue").status());
            app.command("gate release");
            app.awaitDone("r1", SPAWNED);

            String stored = redis.get("cache-aside:user:1");
            assertTrue(stored == null || stored.contains("blue"), "the audit stored the row it read before the"
                    + " eviction: " + stored);
            assertTrue(app.call("user", 1).value().contains("team=blue"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void stampede_64ThreadsIn2Jvms_runTheMethodOncePerLease(Path jdk) throws Exception {
        try (ForkedApp first = start(jdk, true); ForkedApp second = start(jdk, true)) {
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> first.command("stampede 64 slow 300"));
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> second.command("stampede 64 slow 300"));
            long slowestA = Long.parseLong(a.get().substring("STAMPEDE ".length()));
            long slowestB = Long.parseLong(b.get().substring("STAMPEDE ".length()));

            int runs = first.runs("slow") + second.runs("slow");
            System.out.println("[consistency] stampede of 2 x 64 callers on one key: the method ran " + runs
                    + " time(s); slowest caller " + Duration.ofNanos(Math.max(slowestA, slowestB)).toMillis() + " ms");
            assertEquals(1, runs, "one fill for 128 concurrent misses");
            assertTrue(Math.max(slowestA, slowestB) < Duration.ofSeconds(3).plusMillis(300).toNanos(),
                    "no caller waits past lease-wait plus the fill");
        }
    }

    @Test
    void stampede_withoutLeases_runsTheMethodForEveryCaller() throws Exception {
        try (ForkedApp app = start(Jdks.current(), false)) {
            app.command("stampede 16 slow 300");

            assertTrue(app.runs("slow") > 1, "without single-flight every concurrent miss runs the method");
        }
    }
}
