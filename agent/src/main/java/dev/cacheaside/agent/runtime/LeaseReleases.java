package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.StoreException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lease markers this JVM wrote, or may have written, whose release Redis did not confirm (a fill that
 * ended while Redis was unreachable). Such a marker would stand for {@code lease-ttl} with no fill behind
 * it, and every caller of its key in every JVM would wait {@code lease-wait} for nothing; so they are
 * released, each only while the key still holds that very marker, on a recovered Redis before the circuit
 * closes. Bounded, since each costs a round trip on recovery: past the limit a marker is left to expire.
 */
final class LeaseReleases implements GuardedStore.RecoveryTask {

    private static final int LIMIT = 1_000;

    /** One marker at one key; identity is enough, each failed release is its own. */
    private static final class Orphan {
        final String key;
        final byte[] marker;

        Orphan(String key, byte[] marker) {
            this.key = key;
            this.marker = marker;
        }
    }

    private final Set<Orphan> pending = ConcurrentHashMap.newKeySet();

    void add(String key, byte[] marker) {
        if (pending.size() < LIMIT) {
            pending.add(new Orphan(key, marker));
        }
    }

    int size() {
        return pending.size();
    }

    @Override
    public void beforeResume(CacheStore direct) throws StoreException {
        for (Orphan orphan : pending) {
            direct.deleteIfEquals(orphan.key, orphan.marker);
            pending.remove(orphan);
        }
    }
}
