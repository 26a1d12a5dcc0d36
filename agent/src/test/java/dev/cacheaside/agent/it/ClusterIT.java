package dev.cacheaside.agent.it;

import dev.cacheaside.testkit.RedisBinary;
import dev.cacheaside.testkit.RedisCluster;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Redis Cluster of three masters with a replica each: every feature across slots, and a failover; on the
 * embedded Redis 6.2 and on the redis-server on PATH (Debian's 7.0), one cluster each.
 */
class ClusterIT {

    /** One cluster per binary, started when a test first needs it. */
    private static final Map<String, RedisCluster> CLUSTERS = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @AfterAll
    static void stopClusters() {
        CLUSTERS.values().forEach(RedisCluster::close);
        CLUSTERS.clear();
    }

    /** The cluster of the named binary, flushed; the test is skipped when that binary is not installed. */
    private static RedisCluster cluster(String binaryName) {
        RedisBinary binary = binary(binaryName);
        RedisCluster cluster = CLUSTERS.computeIfAbsent(binaryName, name -> RedisCluster.start(binary, 3, true));
        flush(cluster);
        return cluster;
    }

    static RedisBinary binary(String binaryName) {
        java.util.Optional<RedisBinary> binary = RedisBinary.named(binaryName);
        assumeTrue(binary.isPresent(), "no redis-server " + binaryName + " here");
        System.err.println("[it] " + binary.get());
        return binary.get();
    }

    private static void flush(RedisCluster cluster) {
        List<RedisServer> nodes = new ArrayList<>(cluster.masters());
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

    static Stream<Arguments> binariesAndJdks() {
        return RedisBinary.matrix().stream().flatMap(binary -> jdks().stream().map(jdk -> Arguments.of(binary, jdk)));
    }

    private Path config(RedisCluster cluster) {
        String nodes = cluster.seeds().stream().map(seed -> "\"" + seed + "\"").collect(Collectors.joining(", "));
        return RedisFixture.writeConfig(dir, "cache-aside {\n redis.cluster-nodes = [" + nodes + "]\n"
                + " redis.timeout = 300ms\n redis.retry-interval = 300ms\n stats-interval = 0\n"
                + CacheAsideIT.RULES + "\n}\n");
    }

    private static JedisCluster client(RedisCluster cluster) {
        Set<HostAndPort> seeds = new HashSet<>();
        cluster.seeds().forEach(seed -> seeds.add(HostAndPort.from(seed)));
        return new JedisCluster(seeds);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binariesAndJdks")
    void hitsMissesEvictionsAndDrops_workAcrossSlots(String binary, Path jdk) {
        RedisCluster cluster = cluster(binary);
        try (JedisCluster jedis = client(cluster); ForkedApp app = ForkedApp.start(jdk, config(cluster))) {
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

    @ParameterizedTest
    @MethodSource("dev.cacheaside.testkit.RedisBinary#matrix")
    void aMasterKilledWithoutAReplica_callsFallThroughUncached_withOneClearLine(String binary) {
        try (RedisCluster bare = RedisCluster.start(binary(binary), 3, false)) {
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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("binariesAndJdks")
    void aMasterKilled_callsNeverFail_andCachingResumesAfterFailover(String binary, Path jdk) {
        RedisCluster cluster = cluster(binary);
        try (ForkedApp app = ForkedApp.start(jdk, config(cluster))) {
            for (int id = 1; id <= 10; id++) {
                app.call("user", id);
            }
            List<RedisServer> masters = cluster.currentMasters();
            RedisServer victim = masters.get(0);
            victim.stop();
            try {
                long killed = System.nanoTime();
                long deadline = killed + Duration.ofSeconds(30).toNanos();
                long promoted = 0;
                long resumedAt = 0;
                while (System.nanoTime() < deadline && resumedAt == 0) {
                    for (int id = 1; id <= 10; id++) {
                        ForkedApp.Reply reply = app.call("user", id);
                        assertEquals("OK", reply.status(), reply.toString());
                        assertTrue(reply.value().startsWith("User{id=" + id + ","), reply.toString());
                    }
                    if (promoted == 0 && !masters.containsAll(cluster.currentMasters())) {
                        promoted = System.nanoTime();
                    }
                    int before = app.runs("findById");
                    for (int id = 1; id <= 10; id++) {
                        app.call("user", id);
                    }
                    if (app.runs("findById") == before) {
                        resumedAt = System.nanoTime();
                    }
                }
                assertTrue(resumedAt != 0, "caching resumed on the promoted replicas; stderr:\n" + app.stderr());
                assertTrue(promoted != 0, "a replica was promoted");
                long afterPromotion = Duration.ofNanos(resumedAt - promoted).toMillis();
                System.err.println("[it] " + binary + ": replica promoted " + Duration.ofNanos(promoted - killed).toMillis()
                        + " ms after the kill, caching resumed " + afterPromotion + " ms after that");
                assertTrue(afterPromotion <= 10_000, "resumed " + afterPromotion + " ms after the promotion; stderr:\n"
                        + app.stderr());
                // the circuit opens once and closes once: it never closes while a slot's master is still dead
                assertEquals(1, app.stderr().split("is unavailable, calls", -1).length - 1, "no flapping:\n" + app.stderr());
                assertEquals(1, app.stderr().split("is back; caching resumes", -1).length - 1, "no flapping:\n" + app.stderr());
            } finally {
                victim.start();
                cluster.awaitState("cluster_state:ok", cluster.currentMasters());
                cluster.awaitReplicasInSync();
            }
        }
    }
}
