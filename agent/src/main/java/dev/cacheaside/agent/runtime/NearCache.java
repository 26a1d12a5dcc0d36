package dev.cacheaside.agent.runtime;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One rule's in-JVM copy of its Redis entries, for the methods of one class loader: the JSON bytes Redis
 * held and a decoded prototype, so that every hit hands out a fresh copy (of the prototype, or decoded from
 * the JSON where the value cannot be copied), or the prototype itself where {@link ImmutableTypes} proves it
 * immutable. The prototypes are instances of that loader's classes, so no other loader is ever served from
 * here: another copy of the same class cannot take them. Bounded by entries and by age; coherence comes
 * from {@link NearCaches}.
 */
final class NearCache {

    static final class Entry {
        final byte[] json;
        /** A decoded copy, private unless immutable, or {@link ValueCopier#NOT_COPYABLE}. */
        final Object prototype;
        final long expiresAt;

        Entry(byte[] json, Object prototype, long expiresAt) {
            this.json = json;
            this.prototype = prototype;
            this.expiresAt = expiresAt;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Weak, so that an undeployed application's loader is not kept alive by its near cache's bookkeeping. */
    private final WeakReference<ClassLoader> loader;
    private final boolean bootLoader;
    private volatile int maxEntries;
    private volatile long ttlNanos;

    /** @param loader the defining loader of the cached methods' classes this near cache serves; null for the boot loader */
    NearCache(ClassLoader loader, int maxEntries, long ttlNanos) {
        this.loader = new WeakReference<>(loader);
        this.bootLoader = loader == null;
        configure(maxEntries, ttlNanos);
    }

    /** Whether this near cache serves methods of classes defined by {@code candidate}. */
    boolean serves(ClassLoader candidate) {
        return candidate == null ? bootLoader : !bootLoader && loader.get() == candidate;
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
