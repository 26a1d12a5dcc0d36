package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionBacklogTest {

    /** Retries the backlog asked for, run by the test: time passes only when the test says so. */
    private final List<Runnable> retries = new ArrayList<>();

    /** Records what the backlog asks of Redis; fails on demand. */
    private static final class RecordingStore implements CacheStore {
        final List<String> deleted = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        boolean failing;
        /** Fails as Redis does when it answers with an error for this command (NOREPLICAS), circuit closed. */
        boolean refusing;
        Runnable duringDelete = () -> { };

        @Override
        public void delete(Collection<String> keys) throws StoreException {
            fail();
            Runnable hook = duringDelete;
            duringDelete = () -> { };
            hook.run();
            deleted.addAll(keys);
        }

        @Override
        public long deleteMatching(String pattern) throws StoreException {
            fail();
            dropped.add(pattern);
            return 0;
        }

        private void fail() throws StoreException {
            if (failing) {
                throw new StoreException("down", null, true);
            }
            if (refusing) {
                throw new StoreException("DEL failed: NOREPLICAS Not enough good replicas to write.", null, false);
            }
        }

        @Override
        public long remainingTtlMillis(String key) {
            return -2; // as Redis answers for a key that does not exist; the backlog never asks
        }

        @Override
        public byte[] get(String key) {
            return null;
        }

        @Override
        public void set(String key, byte[] value, long ttlMillis) {
        }

        @Override
        public boolean setIfAbsent(String key, byte[] value, long ttlMillis) {
            return true;
        }

        @Override
        public boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis) {
            return true;
        }

        @Override
        public void deleteIfEquals(String key, byte[] expected) {
        }

        @Override
        public void ping() {
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void beforeResume_carriesOutKeysAndDrops_thenForgetsThem() throws Exception {
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of(), new RecordingStore(), retries::add);
        backlog.addKeys(List.of("p:user:1", "p:user:2"));
        backlog.addPatterns(List.of("p:team:*"));
        RecordingStore store = new RecordingStore();

        backlog.beforeResume(store);
        backlog.beforeResume(store);

        assertEquals(List.of("p:user:1", "p:user:2"), store.deleted);
        assertEquals(List.of("p:team:*"), store.dropped);
        assertEquals(0, backlog.size());
    }

    @Test
    void beforeResume_failing_keepsEverythingForTheNextTry() {
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of(), new RecordingStore(), retries::add);
        backlog.addKeys(List.of("p:user:1"));
        RecordingStore store = new RecordingStore();
        store.failing = true;

        assertThrows(StoreException.class, () -> backlog.beforeResume(store));
        assertEquals(1, backlog.size());
    }

    @Test
    void pastTheBound_keysBecomeDropsOfTheirCaches() throws Exception {
        EvictionBacklog backlog = new EvictionBacklog(key -> key.startsWith("p:user:") ? List.of("p:user:*")
                : List.of(), new RecordingStore(), retries::add);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < EvictionBacklog.MAX_KEYS + 500; i++) {
            keys.add("p:user:" + i);
        }

        backlog.addKeys(keys);
        RecordingStore store = new RecordingStore();
        backlog.beforeResume(store);

        assertEquals(EvictionBacklog.MAX_KEYS, store.deleted.size());
        assertEquals(List.of("p:user:*"), store.dropped);
        assertTrue(backlog.size() == 0);
    }

    @Test
    void blocks_aKeyWhoseEvictionRedisRefused_andRetriesUntilItIsDone() {
        RecordingStore store = new RecordingStore();
        store.refusing = true;
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of(), store, retries::add);

        backlog.addKeys(List.of("p:user:1"));
        backlog.addPatterns(List.of("p:team:*"));

        assertTrue(backlog.blocks("p:user:1"));
        assertTrue(backlog.blocks("p:team:blue"));
        assertFalse(backlog.blocks("p:user:2"));
        assertEquals(1, retries.size(), "one retry scheduled, however many evictions are pending");

        runRetries();  // Redis still refuses
        assertTrue(backlog.blocks("p:user:1"));
        assertEquals(1, retries.size(), "retried again later");

        store.refusing = false;
        runRetries();

        assertEquals(List.of("p:user:1"), store.deleted);
        assertEquals(List.of("p:team:*"), store.dropped);
        assertFalse(backlog.blocks("p:user:1"));
        assertFalse(backlog.blocks("p:team:blue"));
        assertEquals(0, retries.size(), "no retry once the backlog is empty");
    }

    @Test
    void probe_evictionArrivingDuringTheReplay_isCarriedOutBeforeTheCircuitCloses() throws Exception {
        RecordingStore redis = new RecordingStore();
        ManualScheduler scheduler = new ManualScheduler();
        GuardedStore guarded = new GuardedStore(redis, scheduler, 1000);
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of(), guarded, retries::add);
        guarded.addRecoveryTask(backlog);
        redis.failing = true;
        assertThrows(StoreException.class, () -> guarded.delete(List.of("p:user:1")));
        backlog.addKeys(List.of("p:user:1"));
        assertFalse(guarded.isAvailable());
        redis.failing = false;
        // while the probe replays its snapshot, a mutator's eviction fails fast on the open circuit
        redis.duringDelete = () -> {
            assertThrows(StoreException.class, () -> guarded.delete(List.of("p:user:2")));
            backlog.addKeys(List.of("p:user:2"));
        };

        scheduler.runDue();

        assertTrue(guarded.isAvailable(), "the circuit closed");
        assertEquals(List.of("p:user:1", "p:user:2"), redis.deleted, "the late eviction was replayed before it closed");
        assertEquals(0, backlog.size());
        assertFalse(backlog.blocks("p:user:2"));
    }

    private void runRetries() {
        List<Runnable> due = new ArrayList<>(retries);
        retries.clear();
        due.forEach(Runnable::run);
    }
}
