package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvictionBacklogTest {

    /** Records what the backlog asks of Redis; fails on demand. */
    private static final class RecordingStore implements CacheStore {
        final List<String> deleted = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        boolean failing;

        @Override
        public void delete(Collection<String> keys) throws StoreException {
            fail();
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
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of());
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
        EvictionBacklog backlog = new EvictionBacklog(key -> List.of());
        backlog.addKeys(List.of("p:user:1"));
        RecordingStore store = new RecordingStore();
        store.failing = true;

        assertThrows(StoreException.class, () -> backlog.beforeResume(store));
        assertEquals(1, backlog.size());
    }

    @Test
    void pastTheBound_keysBecomeDropsOfTheirCaches() throws Exception {
        EvictionBacklog backlog = new EvictionBacklog(key -> key.startsWith("p:user:") ? List.of("p:user:*")
                : List.of());
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
}
