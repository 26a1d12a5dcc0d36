package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory store for the pure logic of fills and audits: SET, SET NX, compare-and-set, DEL. */
class MapStore implements CacheStore {

    final ConcurrentHashMap<String, byte[]> values = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public byte[] get(String key) {
        reads.incrementAndGet();
        return values.get(key);
    }

    /** GETs so far: a poll of Redis shows here. */
    int reads() {
        return reads.get();
    }

    @Override
    public long remainingTtlMillis(String key) {
        return values.containsKey(key) ? 60_000 : -2;
    }

    @Override
    public void set(String key, byte[] value, long ttlMillis) {
        values.put(key, value);
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, long ttlMillis) {
        return values.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis) {
        byte[] current = values.get(key);
        return current != null && Arrays.equals(current, expected) && values.replace(key, current, value);
    }

    @Override
    public void deleteIfEquals(String key, byte[] expected) {
        byte[] current = values.get(key);
        if (current != null && Arrays.equals(current, expected)) {
            values.remove(key, current);
        }
    }

    @Override
    public void delete(Collection<String> keys) throws StoreException {
        keys.forEach(values::remove);
    }

    @Override
    public long deleteMatching(String pattern) {
        return 0;
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
        return "memory";
    }

    @Override
    public void close() {
    }
}
