package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.KeyTemplate;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.StoreException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Evictions that Redis has not carried out: it was unreachable, or it answered the DEL with an error
 * (NOREPLICAS, READONLY, BUSY, OOM). Until a key's eviction is done, {@link #blocks} says so and the
 * cache neither serves nor stores it, from Redis or the near cache.
 *
 * <p>Two ways empty the backlog. While the circuit is open, the breaker's probe replays it when Redis
 * answers again and closes the circuit only once the backlog is empty, atomically with respect to new
 * evictions ({@link #resumeIfDone}). While the circuit is closed (Redis refused the command but answers),
 * a retry runs every {@code retry-interval} until the backlog is empty; an eviction added after the
 * probe closed the circuit is retried the same way. Memory is bounded: past {@link #MAX_KEYS} keys, a
 * key is replaced by a drop of every cache whose pattern it matches.
 */
final class EvictionBacklog implements GuardedStore.RecoveryTask {

    static final int MAX_KEYS = 10_000;
    private static final int BATCH = 500;

    private final Set<String> keys = new LinkedHashSet<>();
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    private final Function<String, Collection<String>> patternsOfKey;
    private final Consumer<Runnable> later;
    private final CacheStore store;
    /** keys.size() + patterns.size(), readable without the lock: the hit path's fast check. */
    private volatile int pending;
    private boolean retryScheduled;

    /**
     * @param patternsOfKey the drop patterns of the caches a key may belong to
     * @param store         the store retries go through (the guarded one)
     * @param later         runs a retry after {@code retry-interval}
     */
    EvictionBacklog(Function<String, Collection<String>> patternsOfKey, CacheStore store, Consumer<Runnable> later) {
        this.patternsOfKey = patternsOfKey;
        this.store = store;
        this.later = later;
    }

    void addKeys(Collection<String> failed) {
        synchronized (this) {
            for (String key : failed) {
                if (keys.size() < MAX_KEYS) {
                    keys.add(key);
                } else {
                    for (String pattern : patternsOfKey.apply(key)) {
                        patterns.put(pattern, KeyTemplate.globPattern(pattern));
                    }
                }
            }
            pending = keys.size() + patterns.size();
        }
        scheduleRetry();
    }

    void addPatterns(Collection<String> failed) {
        synchronized (this) {
            for (String pattern : failed) {
                patterns.put(pattern, KeyTemplate.globPattern(pattern));
            }
            pending = keys.size() + patterns.size();
        }
        scheduleRetry();
    }

    synchronized int size() {
        return keys.size() + patterns.size();
    }

    /** True while an eviction of this key (or a drop of a cache it belongs to) has not been carried out. */
    boolean blocks(String key) {
        if (pending == 0) {
            return false;
        }
        synchronized (this) {
            if (keys.contains(key)) {
                return true;
            }
            for (Pattern pattern : patterns.values()) {
                if (pattern.matcher(key).matches()) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void beforeResume(CacheStore direct) throws StoreException {
        replay(direct);
    }

    @Override
    public synchronized boolean resumeIfDone(BooleanSupplier resume) {
        return keys.isEmpty() && patterns.isEmpty() && resume.getAsBoolean();
    }

    /** Carries out what is pending, removing each batch once Redis has done it. */
    void replay(CacheStore target) throws StoreException {
        List<String> pendingKeys;
        List<String> pendingPatterns;
        synchronized (this) {
            if (keys.isEmpty() && patterns.isEmpty()) {
                return;
            }
            pendingKeys = new ArrayList<>(keys);
            pendingPatterns = new ArrayList<>(patterns.keySet());
        }
        for (int from = 0; from < pendingKeys.size(); from += BATCH) {
            List<String> batch = pendingKeys.subList(from, Math.min(pendingKeys.size(), from + BATCH));
            target.delete(batch);
            synchronized (this) {
                keys.removeAll(batch);
                pending = keys.size() + patterns.size();
            }
        }
        for (String pattern : pendingPatterns) {
            target.deleteMatching(pattern);
            synchronized (this) {
                patterns.remove(pattern);
                pending = keys.size() + patterns.size();
            }
        }
        AgentLog.info("carried out " + pendingKeys.size() + " key eviction(s) and " + pendingPatterns.size()
                + " cache drop(s) that Redis had not carried out");
    }

    private void scheduleRetry() {
        synchronized (this) {
            if (retryScheduled) {
                return;
            }
            retryScheduled = true;
        }
        later.accept(this::retry);
    }

    /** A retry through the guarded store; while the circuit is open it fails at once and the probe does the work. */
    void retry() {
        synchronized (this) {
            retryScheduled = false;
        }
        try {
            replay(store);
        } catch (StoreException | RuntimeException e) {
            AgentLog.debug("evictions still pending: " + e.getMessage());
        }
        if (pending > 0) {
            scheduleRetry();
        }
    }
}
