package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.NearCacheSettings;
import dev.cacheaside.agent.store.InvalidationListener;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The near caches of all rules, and their coherence: every invalidation Redis reports (a store, a
 * delete, an expiry, in any JVM) removes the key here, and bumps an epoch that a fill compares before
 * and after its Redis lookup, so a value read before an invalidation is never kept after it.
 */
public final class NearCaches implements InvalidationListener.Sink {

    private final ConcurrentHashMap<String, NearCache> byRule = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private volatile BooleanSupplier serving = () -> false;

    /** Near caches serve only while this says invalidations are arriving. */
    public void servingWhile(BooleanSupplier condition) {
        this.serving = condition;
    }

    boolean isServing() {
        return serving.getAsBoolean();
    }

    long epoch() {
        return epoch.get();
    }

    /** The rule's near cache, or null when the rule has none. */
    NearCache forRule(CacheRule rule) {
        NearCacheSettings settings = rule.nearCache();
        if (settings == null || !settings.enabled()) {
            NearCache dropped = byRule.remove(rule.name());
            if (dropped != null) {
                dropped.clear();
            }
            return null;
        }
        NearCache cache = byRule.computeIfAbsent(rule.name(),
                ignored -> new NearCache(settings.maxEntries(), settings.ttl().toNanos()));
        cache.configure(settings.maxEntries(), settings.ttl().toNanos());
        return cache;
    }

    @Override
    public void invalidate(List<String> keys) {
        epoch.incrementAndGet();
        for (NearCache cache : byRule.values()) {
            for (String key : keys) {
                cache.remove(key);
            }
        }
    }

    void invalidateMatching(Pattern pattern) {
        epoch.incrementAndGet();
        for (NearCache cache : byRule.values()) {
            cache.removeMatching(pattern);
        }
    }

    @Override
    public void invalidateAll() {
        epoch.incrementAndGet();
        byRule.values().forEach(NearCache::clear);
    }
}
