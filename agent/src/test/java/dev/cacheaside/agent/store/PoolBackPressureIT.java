package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.RedisSettings;
import dev.cacheaside.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14, finding 15: an exhausted pool is back-pressure, not an outage, and no call waits past {@code timeout}. */
class PoolBackPressureIT {

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

    @Test
    void issue14_twoHundredThreadsOnSixteenConnections_circuitStaysClosed_andNoCallWaitsPastTimeout() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        GuardedStore store = new GuardedStore(new JedisStore(settings("redis { uri = \"" + redis.uri() + "\","
                + " timeout = 200ms, pool-size = 16 }")), scheduler, 1000);
        try {
            store.ping();
            store.set("k", "{\"v\":1}".getBytes(), 60_000);
            int threads = 200;
            AtomicLong calls = new AtomicLong();
            AtomicLong busy = new AtomicLong();
            AtomicLong otherFailures = new AtomicLong();
            AtomicLong slowestNanos = new AtomicLong();
            AtomicBoolean circuitOpened = new AtomicBoolean();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> started = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        long before = System.nanoTime();
                        try {
                            store.get("k");
                        } catch (StoreException e) {
                            (e.isBackPressure() ? busy : otherFailures).incrementAndGet();
                        }
                        slowestNanos.accumulateAndGet(System.nanoTime() - before, Math::max);
                        calls.incrementAndGet();
                        if (!store.isAvailable()) {
                            circuitOpened.set(true);
                        }
                    }
                    done.countDown();
                });
                thread.start();
                started.add(thread);
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            long slowestMillis = TimeUnit.NANOSECONDS.toMillis(slowestNanos.get());
            String figures = "calls=" + calls + " pool-busy=" + busy + " other failures=" + otherFailures
                    + " slowest=" + slowestMillis + " ms";
            System.out.println("PoolBackPressureIT: " + figures);

            assertFalse(circuitOpened.get(), figures);
            assertTrue(otherFailures.get() == 0, figures);
            // timeout (200 ms) plus the borrow wait (50 ms) plus slack for 200 threads on a shared machine
            assertTrue(slowestMillis < 200 + 50 + 150, figures);
        } finally {
            store.close();
            scheduler.shutdownNow();
        }
    }

    @Test
    void issue14_clusterClientNotMadeYet_applicationCallRunsUncachedAtOnce_andOnlyThePingMakesIt() throws Exception {
        try (ServerSocket frozen = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(frozen.accept()); // accepts and never answers, as a frozen node does
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            JedisStore store = new JedisStore(settings("redis { cluster-nodes = [\"127.0.0.1:" + frozen.getLocalPort()
                    + "\"], timeout = 200ms }"));
            try {
                long before = System.nanoTime();
                StoreException busy = assertThrows(StoreException.class, () -> store.get("k"));
                long callMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
                assertTrue(busy.isBackPressure() && !busy.isUnavailable(), busy.toString());
                assertTrue(callMillis < 50, "an application call took " + callMillis + " ms");

                // the agent's own thread makes the client, and finds the node frozen
                StoreException down = assertThrows(StoreException.class, store::ping);
                assertTrue(down.isUnavailable(), down.toString());
            } finally {
                store.close();
            }
        }
    }

    private RedisSettings settings(String redisBlock) throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside { " + redisBlock + " }\n");
        return AgentSettings.load(conf).redis();
    }
}
