package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisBinary;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The basic cache cycle on each redis-server a user may have: the embedded 6.2 and the one on PATH (Debian's
 * 7.0 on many machines; skipped when none is installed). The other single-server tests run on whichever
 * {@link RedisBinary#preferred()} picks.
 */
class RedisBinariesIT {

    @TempDir
    Path dir;

    static Stream<Arguments> binariesAndJdks() {
        return RedisBinary.matrix().stream().flatMap(binary -> Jdks.all().stream().map(jdk -> Arguments.of(binary, jdk)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binariesAndJdks")
    void missHitEvict_onEachServerVersion(String binaryName, Path jdk) {
        RedisBinary binary = ClusterIT.binary(binaryName);
        try (RedisServer server = RedisServer.startNew(binary);
             Jedis jedis = new Jedis("127.0.0.1", server.port());
             ForkedApp app = ForkedApp.start(jdk, RedisFixture.writeConfig(dir, "cache-aside {\n redis.uri = \""
                     + server.uri() + "\"\n stats-interval = 0\n" + CacheAsideIT.RULES + "\n}\n"))) {
            ForkedApp.Reply miss = app.call("user", 1);
            ForkedApp.Reply hit = app.call("user", 1);
            assertEquals(miss.value(), hit.value());
            assertEquals(1, app.runs("findById"), binary + "\n" + app.stderr());
            long ttl = jedis.ttl("cache-aside:user:1");
            assertTrue(ttl > 290 && ttl <= 300, "ttl " + ttl);

            app.call("update", 1, "renamed");
            assertFalse(jedis.exists("cache-aside:user:1"), "evicted");
            assertEquals("User{id=1,name=renamed,team=odd,tags=[t1]}", app.call("user", 1).value());
            assertEquals(2, app.runs("findById"));
        }
    }
}
