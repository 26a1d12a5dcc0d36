package dev.cacheaside.agent.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refresh-ahead and stale-if-error, with two JVMs over one database: one background refresh per entry
 * across the JVMs, and an expired entry served in place of the database's error, never after an evict.
 */
class FreshnessIT extends SharedDatabaseTestBase {

    private static final String EVICT = "evict { row-write { method = \"com.example.fixture.RowStore#write\","
            + " keys = [\"row:{0}\"] } }\nstats-interval = 1s";

    @AfterEach
    void databaseUp() {
        database.failReads(false);
    }

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    private ForkedApp start(Path jdk, String rule) {
        return ForkedApp.start(jdk, redis.config(dir, "cache { row { method = \"com.example.fixture.RowStore#read(int)\","
                + " key = \"row:{0}\", " + rule + " } }\n" + EVICT), "-Dfixture.db.port=" + database.port());
    }

    private static long version(ForkedApp.Reply reply) {
        assertTrue(reply.ok(), reply.toString());
        return Long.parseLong(reply.value().replaceAll(".*version=(\\d+).*", "$1"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staleIfError_answersWithTheExpiredEntry_whileTheDatabaseFails_butNeverAfterAnEvict(Path jdk) {
        try (ForkedApp reader = start(jdk, "ttl = 1s, stale-if-error = 1m");
             ForkedApp writer = start(jdk, "ttl = 1s, stale-if-error = 1m")) {
            long first = database.write(40, "before").version();
            assertEquals(first, version(reader.call("row", 40)));
            assertEquals(first, version(reader.call("row", 40)), "a hit");
            assertEquals(1, reader.runs("read"));
            long ttl = redis.ttl("cache-aside:row:40");
            assertTrue(ttl > 50 && ttl <= 61, "kept for ttl + stale-if-error: " + ttl);
            reader.call("row", 42);
            ForkedApp.sleep(1300);

            // expired: a miss that runs the method; the database is down, so the old entry answers
            database.failReads(true);
            assertEquals(first, version(reader.call("row", 40)), "the expired entry instead of the error");
            assertEquals(3, reader.runs("read"), "the method ran, and threw");
            assertTrue(redis.exists("cache-aside:row:40"), "the entry is still there for the next error");
            assertEquals(first, version(writer.call("row", 40)), "the other JVM serves it on error too");

            // an evict removes the stale copy with the entry: the error reaches the caller
            writer.call("writeRow", 42, "changed");
            assertFalse(redis.exists("cache-aside:row:42"));
            ForkedApp.Reply afterEvict = reader.call("row", 42);
            assertFalse(afterEvict.ok(), "never the evicted value: " + afterEvict);
            assertTrue(afterEvict.value().contains("IllegalStateException") || afterEvict.type().contains(
                    "IllegalStateException"), afterEvict.toString());

            // the database is back: the expired entry is replaced by the method's fresh result
            database.failReads(false);
            long second = database.write(40, "after").version();
            assertEquals(second, version(reader.call("row", 40)));
            assertTrue(reader.awaitStderr("stale-serves=1", Duration.ofSeconds(10)), reader.stderr());
            assertTrue(reader.stderr().contains("rule 'row': the method threw java.lang.IllegalStateException:"
                    + " database: ERR down; served the entry at 'cache-aside:row:40'"), reader.stderr());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void refreshAhead_oneBackgroundRefreshPerEntryAcrossJvms_andReadersNeverWait(Path jdk) {
        try (ForkedApp one = start(jdk, "ttl = 3s, refresh-ahead = 50%");
             ForkedApp two = start(jdk, "ttl = 3s, refresh-ahead = 50%")) {
            long first = database.write(50, "v1").version();
            assertEquals(first, version(one.call("row", 50)));
            assertEquals(first, version(two.call("row", 50)), "a hit in the other JVM");
            long changed = database.write(50, "v2").version(); // behind the application's back: no evict
            ForkedApp.sleep(1800);

            // in the last half of the TTL: the first read is a hit with the old value and starts the refresh;
            // the others are hits too, of the old value or (once the refresh landed) the new one
            assertEquals(first, version(one.call("row", 50)));
            for (int i = 0; i < 5; i++) {
                long seenByOne = version(one.call("row", 50));
                long seenByTwo = version(two.call("row", 50));
                assertTrue(seenByOne == first || seenByOne == changed, "one: " + seenByOne);
                assertTrue(seenByTwo == first || seenByTwo == changed, "two: " + seenByTwo);
            }
            assertTrue(RedisFixture.await(() -> redis.get("cache-aside:row:50") != null
                    && redis.get("cache-aside:row:50").contains("\"version\":" + changed), Duration.ofSeconds(5)),
                    "refreshed in the background: " + redis.get("cache-aside:row:50"));
            assertEquals(2, one.runs("read") + two.runs("read"), "the first fill and exactly one refresh");
            assertTrue(redis.ttl("cache-aside:row:50") >= 2, "the refreshed entry has a whole TTL again");
            assertEquals(changed, version(one.call("row", 50)));
            assertEquals(changed, version(two.call("row", 50)));
            assertEquals(2, one.runs("read") + two.runs("read"), "hits again, without a miss");
            assertTrue(one.awaitStderr("refreshes=1", Duration.ofSeconds(10))
                    || two.awaitStderr("refreshes=1", Duration.ofSeconds(1)), one.stderr() + two.stderr());
        }
    }
}
