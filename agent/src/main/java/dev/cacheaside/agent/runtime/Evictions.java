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
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Evictions after mutators: keys deleted and whole caches dropped before the mutator returns to its
 * caller, again after {@code repeat-after}, and kept in the backlog when Redis cannot be reached.
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

    Evictions(SiteRegistry sites, StatsRegistry stats, JsonCodec codec, CacheStore store,
              ScheduledExecutorService scheduler, Supplier<RuleSet> rules, NearCaches nearCaches) {
        this.nearCaches = nearCaches;
        this.sites = sites;
        this.stats = stats;
        this.codec = codec;
        this.store = store;
        this.scheduler = scheduler;
        this.rules = rules;
        this.backlog = new EvictionBacklog(this::dropPatternsMatching, store, retry -> scheduler.schedule(retry,
                rules.get().settings().redis().retryInterval().toMillis(), TimeUnit.MILLISECONDS));
    }

    EvictionBacklog backlog() {
        return backlog;
    }

    /** The keys built from arguments alone, rendered as the mutator is entered, and the binding they came from. */
    private static final class EnteredKeys {
        final EvictBinding binding;
        final List<String> keys;

        EnteredKeys(EvictBinding binding, List<String> keys) {
            this.binding = binding;
            this.keys = keys;
        }
    }

    /** Renders the keys built from arguments alone, before the mutator's body can change the arguments. */
    Object beforeMutation(int siteId, Class<?> declaringType, Object[] arguments) {
        Site found = sites.site(siteId);
        if (!(found instanceof EvictSite)) {
            return null;
        }
        EvictBinding binding = binding((EvictSite) found, declaringType);
        if (!binding.isActive()) {
            return null;
        }
        List<String> keys = new ArrayList<>(binding.keys.size());
        render(binding, arguments, null, false, keys);
        return new EnteredKeys(binding, keys);
    }

    void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object entered, Object returned,
                       Throwable thrown) {
        Site found = sites.site(siteId);
        if (found == null) {
            return;
        }
        found.lastRanMillis = System.currentTimeMillis();
        if (!(found instanceof EvictSite)) {
            return;
        }
        EvictSite site = (EvictSite) found;
        EvictBinding binding = binding(site, declaringType);
        if (!binding.isActive()) {
            return;
        }
        List<String> keys = new ArrayList<>(binding.keys.size());
        if (entered instanceof EnteredKeys && ((EnteredKeys) entered).binding == binding) {
            keys.addAll(((EnteredKeys) entered).keys);
        } else {
            // the rules changed while the body ran: the arguments as they are now are all there is
            render(binding, arguments, null, false, keys);
        }
        if (thrown == null) {
            render(binding, arguments, returned, true, keys);
        }
        evict(binding, keys);
        if (!binding.rule.repeatAfter().isZero()) {
            scheduler.schedule(() -> evict(binding, keys), binding.rule.repeatAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Renders the templates that use the result ({@code afterBody}), or those that do not, into {@code keys}. */
    private static void render(EvictBinding binding, Object[] arguments, Object returned, boolean afterBody,
                               List<String> keys) {
        for (KeyRenderer renderer : binding.keys) {
            if (renderer.template().usesResult() != afterBody) {
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
