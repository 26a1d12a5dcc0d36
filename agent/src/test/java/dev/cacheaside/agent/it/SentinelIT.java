package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A master, a replica and a Sentinel: the agent finds the master through Sentinel and follows a failover. */
class SentinelIT {

    @TempDir
    Path dir;

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void masterKilled_cachingResumesOnThePromotedReplica(Path jdk) {
        try (RedisServer master = RedisServer.startNew();
             RedisServer replica = RedisServer.startNew("--replicaof", "127.0.0.1", "0");
             RedisServer sentinel = startSentinel(master, replica)) {
            Path config = RedisFixture.writeConfig(dir, "cache-aside {\n redis.sentinel { master = \"shop\", nodes = "
                    + "[\"127.0.0.1:" + sentinel.port() + "\"] }\n redis.timeout = 300ms\n"
                    + " redis.retry-interval = 300ms\n stats-interval = 0\n" + CacheAsideIT.RULES + "\n}\n");
            try (ForkedApp app = ForkedApp.start(jdk, config)) {
                app.call("user", 1);
                app.call("user", 1);
                assertEquals(1, app.runs("findById"));
                try (Jedis direct = new Jedis("127.0.0.1", master.port())) {
                    assertTrue(direct.exists("cache-aside:user:1"), "stored on the master Sentinel named");
                }

                master.stop();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                boolean resumed = false;
                while (System.nanoTime() < deadline && !resumed) {
                    ForkedApp.Reply reply = app.call("user", 2);
                    assertEquals("User{id=2,name=user2,team=even,tags=[t2]}", reply.value());
                    int before = app.runs("findById");
                    app.call("user", 2);
                    resumed = app.runs("findById") == before;
                    ForkedApp.sleep(200);
                }
                assertTrue(resumed, "caching resumed on the promoted replica; stderr:\n" + app.stderr());
                try (Jedis promoted = new Jedis("127.0.0.1", replica.port())) {
                    assertTrue(promoted.exists("cache-aside:user:2"));
                }
            }
        }
    }

    private static RedisServer startSentinel(RedisServer master, RedisServer replica) {
        try (Jedis jedis = new Jedis("127.0.0.1", replica.port())) {
            jedis.replicaof("127.0.0.1", master.port());
        }
        return RedisServer.startSentinel("shop", master.port());
    }
}
