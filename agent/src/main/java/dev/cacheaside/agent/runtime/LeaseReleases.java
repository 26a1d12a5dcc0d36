package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.StoreException;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lease markers this JVM wrote, or may have written, whose release Redis did not confirm (a fill that
 * ended while Redis was unreachable). Such a marker would stand for {@code lease-ttl} with no fill behind
 * it, and every caller of its key in every JVM would wait {@code lease-wait} for nothing; so they are
 * released, each only while it is still the same marker, on a recovered Redis before the circuit closes.
 * Bounded: past the limit a marker is left to expire.
 */
final class LeaseReleases implements GuardedStore.RecoveryTask {

    private static final int LIMIT = 10_000;

    private final Map<String, byte[]> pending = new ConcurrentHashMap<>();

    void add(String key, byte[] marker) {
        if (pending.size() < LIMIT) {
            pending.put(key, marker);
        }
    }

    int size() {
        return pending.size();
    }

    @Override
    public void beforeResume(CacheStore direct) throws StoreException {
        for (Iterator<Map.Entry<String, byte[]>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, byte[]> entry = it.next();
            direct.deleteIfEquals(entry.getKey(), entry.getValue());
            // a newer marker of the same key replaced this one meanwhile: keep that
            pending.remove(entry.getKey(), entry.getValue());
        }
    }
}
