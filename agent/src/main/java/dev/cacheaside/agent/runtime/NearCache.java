package dev.cacheaside.agent.runtime;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One rule's in-JVM copy of its Redis entries, as the JSON bytes Redis held, so that every hit decodes
 * a fresh object for its caller. Bounded by entries and by age; coherence comes from {@link NearCaches}.
 */
final class NearCache {

    private static final class Entry {
        final byte[] json;
        final long expiresAt;

        Entry(byte[] json, long expiresAt) {
            this.json = json;
            this.expiresAt = expiresAt;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile int maxEntries;
    private volatile long ttlNanos;

    NearCache(int maxEntries, long ttlNanos) {
        configure(maxEntries, ttlNanos);
    }

    void configure(int newMaxEntries, long newTtlNanos) {
        this.maxEntries = newMaxEntries;
        this.ttlNanos = newTtlNanos;
    }

    byte[] get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAt > 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry.json;
    }

    /** Keeps the JSON unless an invalidation came since {@code epochBefore} (read before the Redis lookup). */
    void put(String key, byte[] json, long epochBefore, NearCaches owner) {
        if (owner.epoch() != epochBefore || !owner.isServing()) {
            return;
        }
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        Entry entry = new Entry(json, System.nanoTime() + ttlNanos);
        entries.put(key, entry);
        // an invalidation may have landed between the check and the put
        if (owner.epoch() != epochBefore) {
            entries.remove(key, entry);
        }
    }

    void remove(String key) {
        entries.remove(key);
    }

    void removeMatching(Pattern pattern) {
        entries.keySet().removeIf(key -> pattern.matcher(key).matches());
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /** Drops about a tenth of the entries, oldest-expiring first is not worth its cost here: any will do. */
    private void makeRoom() {
        int toDrop = Math.max(1, maxEntries / 10);
        Iterator<String> keys = entries.keySet().iterator();
        while (toDrop-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
