package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisCluster;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real Redis Cluster of three masters with a replica each: every feature across slots, and a failover. */
class ClusterIT {

    static RedisCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3, true);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void flush() {
        List<RedisServer> nodes = new java.util.ArrayList<>(cluster.masters());
        nodes.addAll(cluster.replicas());
        for (RedisServer node : nodes) {
            try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
                jedis.flushAll();
            } catch (RuntimeException replicaOrDown) {
                // replicas refuse writes; their masters' flush reaches them
            }
        }
    }

    static List<Path> jdks() {
        return Jdks.oldestAndNewest();
    }

    private Path config() {
        String nodes = cluster.seeds().stream().map(seed -> "\"" + seed + "\"").collect(Collectors.joining(", "));
        return RedisFixture.writeConfig(dir, "cache-aside {\n redis.cluster-nodes = [" + nodes + "]\n"
                + " redis.timeout = 300ms\n redis.retry-interval = 300ms\n stats-interval = 0\n"
                + CacheAsideIT.RULES + "\n}\n");
    }

    private static JedisCluster client() {
        Set<HostAndPort> seeds = new HashSet<>();
        cluster.seeds().forEach(seed -> seeds.add(HostAndPort.from(seed)));
        return new JedisCluster(seeds);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void hitsMissesEvictionsAndDrops_workAcrossSlots(Path jdk) {
        try (JedisCluster jedis = client(); ForkedApp app = ForkedApp.start(jdk, config())) {
            for (int id = 1; id <= 10; id++) {
                app.call("user", id);
                app.call("user", id);
            }
            assertEquals(10, app.runs("findById"));
            for (int id = 1; id <= 10; id++) {
                assertTrue(jedis.exists("cache-aside:user:" + id));
            }
            for (int i = 0; i < 60; i++) {
                jedis.set("cache-aside:team:extra" + i, "[]");
            }
            app.call("team", "odd");

            app.call("update", 2, "renamed");

            assertFalse(jedis.exists("cache-aside:user:2"));
            for (int i = 0; i < 60; i++) {
                assertFalse(jedis.exists("cache-aside:team:extra" + i), "dropped on every master: extra" + i);
            }
            assertFalse(jedis.exists("cache-aside:team:odd"));
            assertEquals("User{id=2,name=renamed,team=even,tags=[t2]}", app.call("user", 2).value());
            assertTrue(jedis.get("cache-aside:user:2").contains("renamed"));
        }
    }

    @org.junit.jupiter.api.Test
    void aMasterKilledWithoutAReplica_callsFallThroughUncached_withOneClearLine() {
        try (RedisCluster bare = RedisCluster.start(3, false)) {
            String nodes = bare.seeds().stream().map(seed -> "\"" + seed + "\"").collect(Collectors.joining(", "));
            Path config = RedisFixture.writeConfig(dir, "cache-aside {\n redis.cluster-nodes = [" + nodes + "]\n"
                    + " redis.timeout = 300ms\n redis.retry-interval = 300ms\n stats-interval = 0\n"
                    + CacheAsideIT.RULES + "\n}\n");
            try (ForkedApp app = ForkedApp.start(Jdks.current(), config)) {
                app.call("user", 1);
                bare.masters().get(2).stop();
                for (int round = 0; round < 3; round++) {
                    for (int id = 1; id <= 10; id++) {
                        ForkedApp.Reply reply = app.call("user", id);
                        assertEquals("OK", reply.status(), reply.toString());
                        assertTrue(reply.value().startsWith("User{id=" + id + ","), reply.toString());
                    }
                }
                assertTrue(app.awaitStderr("cluster state is not ok", Duration.ofSeconds(10))
                        || app.stderr().contains("is unavailable"), app.stderr());
                assertEquals(1, app.stderr().split("is unavailable", -1).length - 1, "one line:\n" + app.stderr());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aMasterKilled_callsNeverFail_andCachingResumesAfterFailover(Path jdk) {
        try (ForkedApp app = ForkedApp.start(jdk, config())) {
            for (int id = 1; id <= 10; id++) {
                app.call("user", id);
            }
            RedisServer victim = cluster.masters().get(jdk.toString().contains("temurin") ? 1 : 0);
            victim.stop();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                boolean resumed = false;
                while (System.nanoTime() < deadline && !resumed) {
                    for (int id = 1; id <= 10; id++) {
                        ForkedApp.Reply reply = app.call("user", id);
                        assertEquals("OK", reply.status(), reply.toString());
                        assertTrue(reply.value().startsWith("User{id=" + id + ","), reply.toString());
                    }
                    int before = app.runs("findById");
                    for (int id = 1; id <= 10; id++) {
                        app.call("user", id);
                    }
                    resumed = app.runs("findById") == before;
                }
                assertTrue(resumed, "caching resumed on the promoted replicas; stderr:\n" + app.stderr());
            } finally {
                victim.start();
            }
        }
    }
}
