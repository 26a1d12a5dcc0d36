package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.NearCacheSettings;
import dev.cacheaside.agent.store.InvalidationListener;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The near caches of all rules, and their coherence: every invalidation Redis reports (a store, a
 * delete, an expiry, in any JVM) removes the key here, and bumps an epoch that a fill compares before
 * and after its Redis lookup, so a value read before an invalidation is never kept after it.
 *
 * <p>A rule has one near cache per class loader that defines its methods' classes: two web applications,
 * or one redeployed, each load their own copy of the cached class and of its value types, and a prototype
 * of one copy is not an instance of the other's. The near caches are held here weakly; the cache sites
 * of their loader hold them, so an undeployed loader is not kept alive by the prototypes it defined.
 */
public final class NearCaches implements InvalidationListener.Sink {

    /** Per rule name, its near caches, one per loader; each list guarded by itself. */
    private final ConcurrentHashMap<String, List<WeakReference<NearCache>>> byRule = new ConcurrentHashMap<>();
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

    /** The rule's near cache for methods of classes defined by {@code loader}, or null when the rule has none. */
    NearCache forRule(CacheRule rule, ClassLoader loader) {
        NearCacheSettings settings = rule.nearCache();
        if (settings == null || !settings.enabled()) {
            List<WeakReference<NearCache>> dropped = byRule.remove(rule.name());
            if (dropped != null) {
                live(dropped).forEach(NearCache::clear);
            }
            return null;
        }
        List<WeakReference<NearCache>> caches = byRule.computeIfAbsent(rule.name(), ignored -> new ArrayList<>());
        NearCache cache = null;
        synchronized (caches) {
            for (Iterator<WeakReference<NearCache>> it = caches.iterator(); it.hasNext() && cache == null; ) {
                NearCache candidate = it.next().get();
                if (candidate == null) {
                    it.remove();
                } else if (candidate.serves(loader)) {
                    cache = candidate;
                }
            }
            if (cache == null) {
                cache = new NearCache(loader, settings.maxEntries(), settings.ttl().toNanos());
                caches.add(new WeakReference<>(cache));
            }
        }
        cache.configure(settings.maxEntries(), settings.ttl().toNanos());
        return cache;
    }

    @Override
    public void invalidate(List<String> keys) {
        epoch.incrementAndGet();
        for (NearCache cache : all()) {
            for (String key : keys) {
                cache.remove(key);
            }
        }
    }

    void invalidateMatching(Pattern pattern) {
        epoch.incrementAndGet();
        for (NearCache cache : all()) {
            cache.removeMatching(pattern);
        }
    }

    @Override
    public void invalidateAll() {
        epoch.incrementAndGet();
        all().forEach(NearCache::clear);
    }

    private List<NearCache> all() {
        List<NearCache> all = new ArrayList<>();
        for (List<WeakReference<NearCache>> caches : byRule.values()) {
            all.addAll(live(caches));
        }
        return all;
    }

    /** The near caches of one rule still in use, dropping those collected with their loader. */
    private static List<NearCache> live(List<WeakReference<NearCache>> caches) {
        List<NearCache> live = new ArrayList<>();
        synchronized (caches) {
            for (Iterator<WeakReference<NearCache>> it = caches.iterator(); it.hasNext(); ) {
                NearCache cache = it.next().get();
                if (cache == null) {
                    it.remove();
                } else {
                    live.add(cache);
                }
            }
        }
        return live;
    }
}
