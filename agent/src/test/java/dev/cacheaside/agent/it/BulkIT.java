package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk rules over two JVMs: one entry per id, shared with the single-id rule; the method runs for the
 * missing ids only, and every call returns what the method alone returns, in its shape and order.
 */
class BulkIT extends RedisTestBase {

    private static final String REPOSITORY = "com.example.fixture.UserRepository";
    private static final String RULES = String.join("\n",
            "cache {",
            "  user-by-id { method = \"" + REPOSITORY + "#findById\", key = \"user:{0}\" }",
            "  users-by-ids {",
            "    method = \"" + REPOSITORY + "#findAllById(java.util.Collection)\"",
            "    key = \"user:{0[*]}\", result-key = \"user:{result[*].id}\"",
            "  }",
            "  users-map { method = \"" + REPOSITORY + "#findByIds\", key = \"user:{0[*]}\" }",
            "}",
            "evict { user-update { method = \"" + REPOSITORY + "#update\", keys = [\"user:{0.id}\"] } }",
            "stats-interval = 1s");
    private static final List<List<String>> CALLS = List.of(
            List.of("users", "3,1,99,2"), List.of("users", "3,1,99,2"), List.of("users", "1,2,3"),
            List.of("usersById", "2,5"), List.of("usersById", "5,2,6"), List.of("users", "4"));

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void everyBulkCall_returnsWhatTheMethodReturns_andQueriesOnlyTheMissingIds(Path jdk) {
        List<String> expected;
        try (ForkedApp plain = ForkedApp.start(jdk, null)) {
            expected = CALLS.stream().map(call -> answer(plain.call(call.get(0), call.get(1)))).toList();
        }
        Path config = redis.config(dir, RULES);
        try (ForkedApp single = ForkedApp.start(jdk, config); ForkedApp bulk = ForkedApp.start(jdk, config)) {
            single.call("user", 1);
            single.call("user", 2);
            assertTrue(redis.exists("cache-aside:user:1") && redis.exists("cache-aside:user:2"));

            assertEquals(expected.get(0), answer(bulk.call("users", "3,1,99,2")), "in the order of the ids");
            assertEquals("[3,_99]", bulk.call("lastBulkIds", "-").value(), "only the ids not cached reach the method");
            assertEquals(redis.get("cache-aside:user:1").replace("1", "3"),
                    redis.get("cache-aside:user:3"), "each element stored at its own key, as plain JSON");
            assertFalse(redis.exists("cache-aside:user:99"), "an id without a result is not stored");

            assertEquals(expected.get(1), answer(bulk.call("users", "3,1,99,2")));
            assertEquals("[99]", bulk.call("lastBulkIds", "-").value());
            int runs = bulk.runs("findAllById");
            assertEquals(expected.get(2), answer(bulk.call("users", "1,2,3")));
            assertEquals(runs, bulk.runs("findAllById"), "every id cached: the method does not run");

            assertEquals(expected.get(3), answer(bulk.call("usersById", "2,5")), "a map by id");
            assertEquals("[5]", bulk.call("lastBulkIds", "-").value());
            assertEquals(expected.get(4), answer(bulk.call("usersById", "5,2,6")));
            assertEquals("[6]", bulk.call("lastBulkIds", "-").value());

            // the single-id rule reads what the bulk rule stored, in the other JVM
            single.call("user", 3);
            single.call("user", 5);
            assertEquals(2, single.runs("findById"), "ids 3 and 5 were hits of entries the bulk calls stored");

            // an evict of one id (each JVM has its own rows) makes the next bulk call read that id again, alone
            single.call("update", 3, "renamed");
            assertFalse(redis.exists("cache-aside:user:3"));
            assertEquals(expected.get(2), answer(bulk.call("users", "1,2,3")));
            assertEquals("[3]", bulk.call("lastBulkIds", "-").value());
            assertEquals(expected.get(5), answer(bulk.call("users", "4")));
            assertTrue(bulk.awaitStderr("bulk-partial-hits=", java.time.Duration.ofSeconds(10)), bulk.stderr());
        }
    }

    private static String answer(ForkedApp.Reply reply) {
        assertTrue(reply.ok(), reply.toString());
        return reply.type() + " " + reply.value();
    }
}
