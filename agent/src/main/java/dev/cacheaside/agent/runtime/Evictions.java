package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.config.KeyTemplate;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Evictions after mutators: keys deleted and whole caches dropped before the mutator returns to its
 * caller, again after {@code repeat-after}, and kept in the backlog when Redis cannot be reached.
 *
 * <p>One eviction per call: a Spring Data repository proxy and the {@code SimpleJpaRepository} it
 * delegates to both match a rule on {@code CrudRepository#save}. The call entered first on a thread opens
 * a frame for its rule; calls of the same rule nested in it add their keys to the frame and evict
 * nothing; the outermost evicts them all once it finishes, after whatever the proxy does last (a
 * transaction's commit), then repeats once after {@code repeat-after}.
 */
final class Evictions {

    private final SiteRegistry sites;
    private final StatsRegistry stats;
    private final JsonCodec codec;
    private final CacheStore store;
    private final ScheduledExecutorService scheduler;
    private final Supplier<RuleSet> rules;
    private final EvictionBacklog backlog;
    private final NearCaches nearCaches;
    /** Per thread, the frame of each evict rule whose mutator runs on it. */
    private final ThreadLocal<Map<String, Frame>> frames = new ThreadLocal<Map<String, Frame>>() {
        @Override
        protected Map<String, Frame> initialValue() {
            return new HashMap<>();
        }
    };

    /** The outermost running call of one evict rule on one thread, and what nested calls left for it. */
    private static final class Frame {
        final String rule;
        final Set<String> keys = new LinkedHashSet<>();
        EvictBinding nestedBinding;

        Frame(String rule) {
            this.rule = rule;
        }
    }

    /** The token of a call nested in a frame of its rule. */
    private static final class Nested {
        final Frame frame;

        Nested(Frame frame) {
            this.frame = frame;
        }
    }

    Evictions(SiteRegistry sites, StatsRegistry stats, JsonCodec codec, CacheStore store,
              ScheduledExecutorService scheduler, Supplier<RuleSet> rules, NearCaches nearCaches) {
        this.nearCaches = nearCaches;
        this.sites = sites;
        this.stats = stats;
        this.codec = codec;
        this.store = store;
        this.scheduler = scheduler;
        this.rules = rules;
        this.backlog = new EvictionBacklog(this::dropPatternsMatching);
    }

    EvictionBacklog backlog() {
        return backlog;
    }

    /** Opens the frame of the site's rule on this thread, or joins the one open; null for other sites. */
    Object enterMutation(int siteId) {
        Site found = sites.site(siteId);
        if (!(found instanceof EvictSite)) {
            return null;
        }
        String rule = ((EvictSite) found).ruleName;
        Map<String, Frame> open = frames.get();
        Frame frame = open.get(rule);
        if (frame != null) {
            return new Nested(frame);
        }
        frame = new Frame(rule);
        open.put(rule, frame);
        return frame;
    }

    void afterMutation(int siteId, Object token, Class<?> declaringType, Object[] arguments, Object returned,
                       Throwable thrown) {
        if (token instanceof Nested) {
            Frame frame = ((Nested) token).frame;
            EvictBinding binding = activeBinding(siteId, declaringType);
            if (binding != null) {
                frame.keys.addAll(keys(binding, arguments, returned, thrown));
                if (frame.nestedBinding == null) {
                    frame.nestedBinding = binding;
                }
            }
            return;
        }
        if (!(token instanceof Frame)) {
            afterMutation(siteId, declaringType, arguments, returned, thrown);
            return;
        }
        Frame frame = (Frame) token;
        try {
            EvictBinding binding = activeBinding(siteId, declaringType);
            Set<String> keys = new LinkedHashSet<>();
            if (binding != null) {
                keys.addAll(keys(binding, arguments, returned, thrown));
            } else {
                binding = frame.nestedBinding;
            }
            keys.addAll(frame.keys);
            if (binding != null) {
                evictNowAndLater(binding, new ArrayList<>(keys));
            }
        } finally {
            frames.get().remove(frame.rule);
        }
    }

    /** A mutator seen without a frame: evicts at once. */
    void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object returned, Throwable thrown) {
        EvictBinding binding = activeBinding(siteId, declaringType);
        if (binding != null) {
            evictNowAndLater(binding, keys(binding, arguments, returned, thrown));
        }
    }

    /** The site's binding when it is an evict site with its rule in force; marks the site as run. */
    private EvictBinding activeBinding(int siteId, Class<?> declaringType) {
        Site found = sites.site(siteId);
        if (found == null) {
            return null;
        }
        found.lastRanMillis = System.currentTimeMillis();
        if (!(found instanceof EvictSite)) {
            return null;
        }
        EvictBinding binding = binding((EvictSite) found, declaringType);
        return binding.isActive() ? binding : null;
    }

    private List<String> keys(EvictBinding binding, Object[] arguments, Object returned, Throwable thrown) {
        List<String> keys = new ArrayList<>(binding.keys.size());
        for (KeyRenderer renderer : binding.keys) {
            if (renderer.template().usesResult() && thrown != null) {
                continue;
            }
            try {
                keys.add(renderer.render(arguments, returned));
            } catch (CodecException | RuntimeException e) {
                binding.stats.error(RuleStats.ErrorKind.KEY);
                AgentLog.warnLimited("evict-key:" + binding.rule.name(), "evict rule '" + binding.rule.name()
                        + "': cannot render key '" + renderer.template() + "': " + e.getMessage());
            }
        }
        return keys;
    }

    private void evictNowAndLater(EvictBinding binding, List<String> keys) {
        evict(binding, keys);
        if (!binding.rule.repeatAfter().isZero()) {
            scheduler.schedule(() -> evict(binding, keys), binding.rule.repeatAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void evict(EvictBinding binding, List<String> keys) {
        String name = binding.rule.name();
        // this JVM's near caches learn of it now, before the mutator returns; other JVMs through Redis
        nearCaches.invalidate(keys);
        for (String pattern : binding.dropPatterns) {
            nearCaches.invalidateMatching(KeyTemplate.globPattern(pattern));
        }
        if (!keys.isEmpty()) {
            try {
                store.delete(keys);
                binding.stats.evictions.add(keys.size());
            } catch (StoreException e) {
                backlog.addKeys(keys);
                CachedCalls.storeFailed(binding.stats, name, e);
            }
        }
        for (String pattern : binding.dropPatterns) {
            try {
                binding.stats.evictions.add(store.deleteMatching(pattern));
            } catch (StoreException e) {
                backlog.addPatterns(Collections.singletonList(pattern));
                CachedCalls.storeFailed(binding.stats, name, e);
            }
        }
    }

    private EvictBinding binding(EvictSite site, Class<?> declaringType) {
        RuleSet current = rules.get();
        EvictBinding binding = site.binding;
        if (binding != null && binding.version == current.version()) {
            return binding;
        }
        binding = bind(site, declaringType, current);
        site.binding = binding;
        return binding;
    }

    private EvictBinding bind(EvictSite site, Class<?> declaringType, RuleSet current) {
        EvictRule rule = current.evictRule(site.ruleName);
        if (rule == null || !rule.method().toString().equals(site.methodSpec)) {
            return EvictBinding.inactive(current.version());
        }
        try {
            Method method = site.method(declaringType);
            List<KeyRenderer> keys = new ArrayList<>();
            for (KeyTemplate template : rule.keys()) {
                if (site.argumentsFit(rule.name(), rule.origin(), template, method, declaringType)) {
                    keys.add(new KeyRenderer(current.keyPrefix(), template, codec));
                }
            }
            List<String> patterns = new ArrayList<>();
            for (String cache : rule.caches()) {
                CacheRule cacheRule = current.cacheRule(cache);
                if (cacheRule != null) {
                    patterns.add(cacheRule.key().scanPattern(current.keyPrefix()));
                }
            }
            return new EvictBinding(current.version(), rule, keys, patterns, stats.forRule(rule.name()));
        } catch (RuntimeException e) {
            AgentLog.error("evict rule '" + rule.name() + "': cannot prepare " + site.describe(declaringType), e);
            return EvictBinding.inactive(current.version());
        }
    }

    /** The drop patterns of the cache rules whose keys could include this one. */
    private Collection<String> dropPatternsMatching(String key) {
        RuleSet current = rules.get();
        List<String> patterns = new ArrayList<>();
        for (CacheRule rule : current.settings().cacheRules().values()) {
            String pattern = rule.key().scanPattern(current.keyPrefix());
            if (KeyTemplate.globPattern(pattern).matcher(key).matches()) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }


}
