package dev.cacheaside.agent.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edits of agent.conf in a running application: in place, by atomic rename, by ConfigMap symlink swap. */
class ReloadIT extends RedisTestBase {

    private static final String USER_RULE = "user-by-id { method = \"com.example.fixture.UserRepository#findById\","
            + " key = \"user:{0}\", ttl = %s }";
    private static final String COUNT_RULE = "count { method = \"com.example.fixture.Catalog#count\","
            + " key = \"count:{0}\" }";
    private static final Duration APPLIED = Duration.ofSeconds(10);

    private String config(String... rules) {
        return "cache-aside {\n  redis.uri = \"" + redis.server.uri() + "\"\n  stats-interval = 0\n  cache {\n    "
                + String.join("\n    ", rules) + "\n  }\n}\n";
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void edits_addChangeAndRemoveRules_andABadEditKeepsThePreviousRules(Path jdk) throws IOException {
        Path file = dir.resolve("agent.conf");
        Files.writeString(file, config(String.format(USER_RULE, "5m")));
        try (ForkedApp app = ForkedApp.start(jdk, file)) {
            app.call("count", "abc");
            app.call("count", "abc");
            assertEquals(2, app.runs("count"));

            Files.writeString(file, config(String.format(USER_RULE, "30s"), COUNT_RULE));
            awaitApplied(app, 1);
            app.call("count", "abc");
            app.call("count", "abc");
            assertEquals(3, app.runs("count"), "the added rule caches");
            app.call("user", 1);
            long ttl = redis.ttl("cache-aside:user:1");
            assertTrue(ttl > 0 && ttl <= 30, "the changed TTL applies to the next store: " + ttl);
            assertEquals(1, count(app.stderr(), "re-applied the rules to"), app.stderr());

            Files.writeString(file, config(String.format(USER_RULE, "20s"), COUNT_RULE));
            awaitApplied(app, 2);
            app.call("user", 5);
            long changed = redis.ttl("cache-aside:user:5");
            assertTrue(changed > 0 && changed <= 20, "ttl " + changed);
            assertEquals(1, count(app.stderr(), "re-applied the rules to"), "a TTL change retransforms nothing");

            Files.writeString(file, config(COUNT_RULE, "broken { method = \"com.example.fixture.Catalog#ids\","
                    + " ttl = -1s }") + "cache-aside.cache { unclosed {");
            assertTrue(app.awaitStderr("the previous rules stay in force", APPLIED), app.stderr());
            assertTrue(app.stderr().contains(file.getFileName().toString()), app.stderr());
            app.call("user", 2);
            app.call("user", 2);
            assertEquals(3, app.runs("findById"), "the rules of before the bad edit still cache");

            Files.writeString(file, config(String.format(USER_RULE, "3s"), COUNT_RULE,
                    "negative { method = \"com.example.fixture.Catalog#ids\", ttl = -1s }"));
            assertTrue(app.awaitStderr("rejected with 1 error(s); the previous rules stay in force", APPLIED),
                    app.stderr());
            assertTrue(app.stderr().contains("cache-aside.cache.negative.ttl: must be positive"), app.stderr());
            app.call("user", 6);
            long kept = redis.ttl("cache-aside:user:6");
            assertTrue(kept > 3 && kept <= 20, "the rejected edit's TTL did not apply: " + kept);

            Files.writeString(file, config(COUNT_RULE));
            awaitApplied(app, 3);
            app.call("user", 3);
            app.call("user", 3);
            assertEquals(6, app.runs("findById"), "the removed rule no longer caches");
            app.call("count", "abc");
            assertEquals(3, app.runs("count"), "the kept rule still hits");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void atomicRename_countsAsAnEdit(Path jdk) throws IOException {
        Path file = dir.resolve("agent.conf");
        Files.writeString(file, config(String.format(USER_RULE, "5m")));
        try (ForkedApp app = ForkedApp.start(jdk, file)) {
            Path temp = dir.resolve(".agent.conf.swp");
            Files.writeString(temp, config(String.format(USER_RULE, "5m"), COUNT_RULE));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            awaitApplied(app, 1);
            app.call("count", "x");
            app.call("count", "x");
            assertEquals(1, app.runs("count"));
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void configMapSymlinkSwap_countsAsAnEdit(Path jdk) throws IOException {
        // the layout Kubernetes gives a mounted ConfigMap: agent.conf -> ..data/agent.conf, ..data -> ..<version>
        Path first = Files.createDirectory(dir.resolve("..2024_01_01"));
        Files.writeString(first.resolve("agent.conf"), config(String.format(USER_RULE, "5m")));
        Path data = Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("agent.conf"), Path.of("..data/agent.conf"));
        try (ForkedApp app = ForkedApp.start(jdk, file)) {
            Path second = Files.createDirectory(dir.resolve("..2024_01_02"));
            Files.writeString(second.resolve("agent.conf"), config(String.format(USER_RULE, "5m"), COUNT_RULE));
            Path newData = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
            Files.move(newData, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

            awaitApplied(app, 1);
            app.call("count", "y");
            app.call("count", "y");
            assertEquals(1, app.runs("count"));
        }
    }

    private static void awaitApplied(ForkedApp app, int times) {
        assertTrue(RedisFixture.await(() -> count(app.stderr(), "applied edit of ") >= times, APPLIED), app.stderr());
    }

    private static int count(String text, String fragment) {
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + 1)) {
            count++;
        }
        return count;
    }
}
