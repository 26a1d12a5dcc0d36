package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.StoreException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Evictions that could not reach Redis. They are carried out when Redis answers again, before the
 * circuit closes, so no hit is served from an entry whose eviction was lost in an outage. Memory is
 * bounded: past {@link #MAX_KEYS} keys, a key is replaced by a drop of every cache whose pattern it
 * matches.
 */
final class EvictionBacklog implements GuardedStore.RecoveryTask {

    static final int MAX_KEYS = 10_000;
    private static final int BATCH = 500;

    private final Set<String> keys = new LinkedHashSet<>();
    private final Set<String> patterns = new LinkedHashSet<>();
    private final Function<String, Collection<String>> patternsOfKey;

    /** @param patternsOfKey the drop patterns of the caches a key may belong to */
    EvictionBacklog(Function<String, Collection<String>> patternsOfKey) {
        this.patternsOfKey = patternsOfKey;
    }

    synchronized void addKeys(Collection<String> failed) {
        for (String key : failed) {
            if (keys.size() < MAX_KEYS) {
                keys.add(key);
            } else {
                patterns.addAll(patternsOfKey.apply(key));
            }
        }
    }

    synchronized void addPatterns(Collection<String> failed) {
        patterns.addAll(failed);
    }

    synchronized int size() {
        return keys.size() + patterns.size();
    }

    @Override
    public void beforeResume(CacheStore direct) throws StoreException {
        List<String> pendingKeys;
        List<String> pendingPatterns;
        synchronized (this) {
            if (keys.isEmpty() && patterns.isEmpty()) {
                return;
            }
            pendingKeys = new ArrayList<>(keys);
            pendingPatterns = new ArrayList<>(patterns);
        }
        for (int from = 0; from < pendingKeys.size(); from += BATCH) {
            direct.delete(pendingKeys.subList(from, Math.min(pendingKeys.size(), from + BATCH)));
        }
        for (String pattern : pendingPatterns) {
            direct.deleteMatching(pattern);
        }
        synchronized (this) {
            keys.removeAll(pendingKeys);
            patterns.removeAll(pendingPatterns);
        }
        AgentLog.info("carried out " + pendingKeys.size() + " key eviction(s) and " + pendingPatterns.size()
                + " cache drop(s) that Redis missed while it was unavailable");
    }
}
