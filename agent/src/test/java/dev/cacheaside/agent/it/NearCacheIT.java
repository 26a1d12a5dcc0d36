package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The near cache across two JVMs that share one database: hits from memory, an update in one JVM seen
 * by the other's near cache through Redis's invalidations, and a Redis restart emptying near caches.
 */
class NearCacheIT extends SharedDatabaseTestBase {

    private static final String RULES = String.join("\n",
            "cache { row { method = \"com.example.fixture.RowStore#read(int)\", key = \"row:{0}\", ttl = 10m,",
            "  near-cache { enabled = true, max-entries = 1000, ttl = 1m } } }",
            "evict { row-write { method = \"com.example.fixture.RowStore#write\", keys = [\"row:{0}\"] } }",
            "stats-interval = 1s",
            "redis.retry-interval = 200ms");
    private static final Duration BOUND = Duration.ofMillis(50);

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    private ForkedApp start(Path jdk) {
        ForkedApp app = ForkedApp.start(jdk, redis.config(dir, RULES), "-Dfixture.db.port=" + database.port());
        assertTrue(app.awaitStderr("near cache: receiving invalidations", Duration.ofSeconds(10)), app.stderr());
        return app;
    }

    private static long version(ForkedApp.Reply reply) {
        return Long.parseLong(reply.value().replaceAll(".*version=(\\d+).*", "$1"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyNearHit_isAFreshCopy_thatACallerMayChange(Path jdk) {
        String rules = RULES + "\ncache { user-by-id { method = \"com.example.fixture.UserRepository#findById\","
                + " key = \"user:{0}\", near-cache.enabled = true } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules), "-Dfixture.db.port=" + database.port())) {
            assertTrue(app.awaitStderr("near cache: receiving invalidations", Duration.ofSeconds(10)), app.stderr());
            app.call("user", 3);
            app.call("user", 3);
            for (int i = 0; i < 3; i++) {
                assertEquals("fresh:User{id=3,name=user3,team=odd,tags=[t3]}", app.call("mutateAndReread", 3).value());
            }
            assertEquals(1, app.runs("findById"));
            // a stats line printed before the calls shows no near hit; wait for one printed after them
            assertTrue(RedisFixture.await(() -> app.stderr().matches(
                    "(?s).*stats rule 'user-by-id': hits=\\d+ near-hits=[1-9].*"), Duration.ofSeconds(20)),
                    "served from the near cache: " + app.stderr());
        }
    }

    static List<Path> jdksWithRecords() {
        return Jdks.between(16, Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @MethodSource("jdksWithRecords")
    void nearHitsOnAnImmutableRecord_shareOneInstance(Path jdk) {
        String rules = RULES + "\ncache { point { method = \"com.example.fixture.modern.Shapes#point(int, int)\","
                + " key = \"point:{0}:{1}\", near-cache.enabled = true } }";
        try (ForkedApp app = ForkedApp.start(jdk, redis.config(dir, rules), "-Dfixture.db.port=" + database.port())) {
            assertTrue(app.awaitStderr("near cache: receiving invalidations", Duration.ofSeconds(10)), app.stderr());
            app.call("point", 4, 5);
            app.call("point", 4, 5);

            assertEquals("same=true", app.call("samePoint", 4, 5).value());
            assertEquals(1, app.runs("point"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anUpdateInOneJvm_isNeverReadStaleFromTheOthersNearCache(Path jdk) {
        try (ForkedApp reader = start(jdk); ForkedApp writer = start(jdk)) {
            int staleImmediately = 0;
            int trials = 30;
            for (int trial = 0; trial < trials; trial++) {
                int key = 100 + trial;
                reader.call("row", key);
                reader.call("row", key);
                reader.call("row", key);
                writer.call("writeRow", key, "v" + trial);
                long written = database.row(key).version();

                if (version(reader.call("row", key)) < written) {
                    staleImmediately++;
                }
                ForkedApp.sleep(BOUND.toMillis());
                assertEquals(written, version(reader.call("row", key)),
                        "an eviction acknowledged " + BOUND.toMillis() + " ms ago is seen by the other JVM");
            }
            System.out.println("[near-cache] " + trials + " updates in one JVM: reads in the other JVM right after the"
                    + " update returned were stale " + staleImmediately + " time(s); " + BOUND.toMillis()
                    + " ms later, 0 time(s)");
            assertTrue(reader.awaitStderr("near-hits=", Duration.ofSeconds(5)), reader.stderr());
            assertTrue(reader.stderr().matches("(?s).*near-hits=[1-9].*"), "hits came from memory:\n"
                    + reader.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aRedisRestart_emptiesNearCachesBeforeTheyServeAgain(Path jdk) {
        try (ForkedApp reader = start(jdk); ForkedApp writer = start(jdk)) {
            reader.call("row", 7);
            reader.call("row", 7);
            long before = version(reader.call("row", 7));

            redis.server.stop();
            writer.call("writeRow", 7, "during-restart");
            redis.server.start();
            assertTrue(reader.awaitStderr("near cache: no invalidations", Duration.ofSeconds(5)), reader.stderr());

            long after = version(reader.call("row", 7));
            assertEquals(database.row(7).version(), after);
            assertTrue(after > before);
        }
    }
}
