package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.RedisSettings;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, goal 1: the invalidation traffic a write causes. Only the near-cache rules' key prefixes are
 * tracked, so a write of a rule without a near cache sends no message to any JVM, and a write under a
 * tracked prefix sends one message to each listening JVM. Run against a real Redis with three listeners,
 * as three JVMs would hold them.
 */
class InvalidationTrafficIT {

    private static final int JVMS = 3;
    private static RedisServer redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startNew();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    /** What one JVM's near caches would be told. */
    private static final class RecordingSink implements InvalidationListener.Sink {
        final List<String> keys = new CopyOnWriteArrayList<>();
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();

        @Override
        public void invalidate(List<String> invalidated) {
            messages.incrementAndGet();
            keys.addAll(invalidated);
        }

        @Override
        public void invalidateAll() {
            drops.incrementAndGet();
        }
    }

    @Test
    void issue16_writesOfRulesWithoutNearCache_sendNoInvalidation_nearCacheKeysOnePerJvm() throws Exception {
        RedisSettings settings = settings();
        List<InvalidationListener> listeners = new ArrayList<>();
        List<RecordingSink> sinks = new ArrayList<>();
        TrackedPrefixes products = TrackedPrefixes.of(Collections.singletonList("cache-aside:product:"));
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            for (int i = 0; i < JVMS; i++) {
                RecordingSink sink = new RecordingSink();
                InvalidationListener listener = new InvalidationListener(settings, products, sink);
                listener.start();
                listeners.add(listener);
                sinks.add(sink);
            }
            for (InvalidationListener listener : listeners) {
                awaitConnected(listener);
            }

            int otherWrites = 200;
            for (int i = 0; i < otherWrites; i++) {
                jedis.set("cache-aside:order:" + i, "{}");
                jedis.del("cache-aside:order:" + i);
            }
            jedis.set("cache-aside:product:1", "{}");
            jedis.set("cache-aside:product:2", "{}");
            awaitKeys(sinks, "cache-aside:product:1", "cache-aside:product:2");

            for (RecordingSink sink : sinks) {
                assertEquals(Arrays.asList("cache-aside:product:1", "cache-aside:product:2"), sink.keys,
                        "a JVM heard of keys no near cache holds");
                assertEquals(2, sink.messages.get(), "two tracked writes, two messages per JVM");
            }
            System.out.println("InvalidationTrafficIT: " + JVMS + " JVMs, " + (2 * otherWrites)
                    + " writes of a rule without near cache -> 0 messages; 2 writes under a near-cache prefix -> "
                    + (2 * JVMS) + " messages (one per JVM per write)");
        } finally {
            listeners.forEach(InvalidationListener::close);
        }
    }

    @Test
    void issue16_prefixesChange_nearCachesStopServingAtOnce_thenHearTheNewPrefixOnly() throws Exception {
        RecordingSink sink = new RecordingSink();
        InvalidationListener listener = new InvalidationListener(settings(),
                TrackedPrefixes.of(Collections.singletonList("cache-aside:product:")), sink);
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            listener.start();
            awaitConnected(listener);
            int dropsBefore = sink.drops.get();

            listener.track(TrackedPrefixes.of(Arrays.asList("cache-aside:order:", "cache-aside:order:line:")));
            assertFalse(listener.isConnected(), "a near cache served before the new prefixes were tracked");
            awaitConnected(listener);
            assertTrue(sink.drops.get() > dropsBefore, "near caches were not emptied when the tracking changed");

            jedis.set("cache-aside:product:9", "{}");
            jedis.set("cache-aside:order:line:9", "{}");
            awaitKeys(Collections.singletonList(sink), "cache-aside:order:line:9");
            assertEquals(Collections.singletonList("cache-aside:order:line:9"), sink.keys);
        } finally {
            listener.close();
        }
    }

    @Test
    void overlappingPrefixes_keepTheShorter_andAnEmptyOneTracksEveryKey() {
        TrackedPrefixes prefixes = TrackedPrefixes.of(Arrays.asList("c:order:line:", "c:product:", "c:order:", "c:product:"));
        assertEquals(Arrays.asList("c:order:", "c:product:"), prefixes.prefixes());
        assertEquals(Arrays.asList("CLIENT", "TRACKING", "on", "REDIRECT", "7", "BCAST", "PREFIX", "c:order:", "PREFIX",
                "c:product:"), Arrays.asList(prefixes.trackingCommand(7)));

        TrackedPrefixes every = TrackedPrefixes.of(Arrays.asList("c:order:", ""));
        assertEquals(Collections.singletonList(""), every.prefixes());
        assertEquals(Arrays.asList("CLIENT", "TRACKING", "on", "REDIRECT", "7", "BCAST"),
                Arrays.asList(every.trackingCommand(7)));
        assertTrue(TrackedPrefixes.of(Collections.<String>emptyList()).isEmpty());
    }

    private static void awaitConnected(InvalidationListener listener) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listener.isConnected()) {
            assertTrue(System.nanoTime() < deadline, "the listener never connected");
            Thread.sleep(10);
        }
    }

    private static void awaitKeys(List<RecordingSink> sinks, String... keys) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (RecordingSink sink : sinks) {
            while (!sink.keys.containsAll(Arrays.asList(keys))) {
                assertTrue(System.nanoTime() < deadline, "invalidations of " + Arrays.toString(keys) + " never came");
                Thread.sleep(10);
            }
        }
        // anything sent for the untracked writes before these would have arrived first, on the same connection
    }

    private RedisSettings settings() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside { redis.uri = \"" + redis.uri() + "\" }\n");
        return AgentSettings.load(conf).redis();
    }
}
