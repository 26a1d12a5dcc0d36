package dev.cacheaside.agent.runtime;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One rule's in-JVM copy of its Redis entries: the JSON bytes Redis held and a decoded prototype that
 * no caller ever sees, so that every hit hands out a fresh copy (of the prototype, or decoded from the
 * JSON where the value cannot be copied). Bounded by entries and by age; coherence comes from
 * {@link NearCaches}.
 */
final class NearCache {

    static final class Entry {
        final byte[] json;
        /** A private decoded copy, or {@link ValueCopier#NOT_COPYABLE}. */
        final Object prototype;
        final long expiresAt;

        Entry(byte[] json, Object prototype, long expiresAt) {
            this.json = json;
            this.prototype = prototype;
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

    Entry get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAt > 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry;
    }

    /** Keeps the entry unless an invalidation came since {@code epochBefore} (read before the Redis lookup). */
    void put(String key, byte[] json, Object prototype, long epochBefore, NearCaches owner) {
        if (owner.epoch() != epochBefore || !owner.isServing()) {
            return;
        }
        if (entries.size() >= maxEntries) {
            makeRoom();
        }
        Entry entry = new Entry(json, prototype, System.nanoTime() + ttlNanos);
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
