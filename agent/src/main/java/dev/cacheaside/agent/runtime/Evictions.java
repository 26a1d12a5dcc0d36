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
 * <p>Keys built from arguments are rendered as the mutator is entered, before its body can change the
 * arguments ({@code changeEmail(user, email)} must evict the old address); keys built from the result
 * after it returns.
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
    private final Codecs codecs;
    private final CacheStore store;
    /** The delayed second evictions of {@code repeat-after}, apart from the scheduler that runs the breaker's probe. */
    private final RepeatedEvictions repeats;
    private final Supplier<RuleSet> rules;
    private final EvictionBacklog backlog;
    private final NearCaches nearCaches;

    Evictions(SiteRegistry sites, StatsRegistry stats, Codecs codecs, CacheStore store,
              ScheduledExecutorService scheduler, Supplier<RuleSet> rules, NearCaches nearCaches) {
        this.nearCaches = nearCaches;
        this.sites = sites;
        this.stats = stats;
        this.codecs = codecs;
        this.store = store;
        this.repeats = new RepeatedEvictions(RepeatedEvictions.DEFAULT_CAPACITY, System::currentTimeMillis).start();
        this.rules = rules;
        this.backlog = new EvictionBacklog(this::dropPatternsMatching, store, retry -> scheduler.schedule(retry,
                rules.get().settings().redis().retryInterval().toMillis(), TimeUnit.MILLISECONDS));
    }

    EvictionBacklog backlog() {
        return backlog;
    }

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

    /** What a mutator's entry left for its exit: its frame, and the keys rendered from the arguments then. */
    private static final class Entered {
        final Frame frame;
        final boolean nested;
        final EvictBinding binding;
        final List<String> argumentKeys;

        Entered(Frame frame, boolean nested, EvictBinding binding, List<String> argumentKeys) {
            this.frame = frame;
            this.nested = nested;
            this.binding = binding;
            this.argumentKeys = argumentKeys;
        }
    }

    /**
     * Renders the keys built from arguments alone, before the mutator's body can change the arguments,
     * and opens the frame of the site's rule on this thread or joins the one open; null for other sites.
     */
    Object beforeMutation(int siteId, Class<?> declaringType, Object[] arguments) {
        Site found = sites.site(siteId);
        if (!(found instanceof EvictSite)) {
            return null;
        }
        EvictSite site = (EvictSite) found;
        EvictBinding binding = binding(site, declaringType);
        List<String> keys = new ArrayList<>(binding.keys.size());
        if (binding.isActive()) {
            render(binding, arguments, null, false, keys);
        }
        Map<String, Frame> open = frames.get();
        Frame frame = open.get(site.ruleName);
        boolean nested = frame != null;
        if (!nested) {
            frame = new Frame(site.ruleName);
            open.put(site.ruleName, frame);
        }
        return new Entered(frame, nested, binding, keys);
    }

    void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object entered, Object returned,
                       Throwable thrown) {
        EvictBinding binding = activeBinding(siteId, declaringType);
        if (!(entered instanceof Entered)) {
            // a watched method, or a mutator whose entry ran before the agent was ready: evict at once
            if (binding != null) {
                evictNowAndLater(binding, keys(binding, null, arguments, returned, thrown));
            }
            return;
        }
        Entered call = (Entered) entered;
        List<String> keys = binding == null ? Collections.<String>emptyList()
                : keys(binding, call.binding == binding ? call.argumentKeys : null, arguments, returned, thrown);
        if (call.nested) {
            call.frame.keys.addAll(keys);
            if (call.frame.nestedBinding == null) {
                call.frame.nestedBinding = binding;
            }
            return;
        }
        try {
            Set<String> all = new LinkedHashSet<>(keys);
            all.addAll(call.frame.keys);
            EvictBinding evicting = binding != null ? binding : call.frame.nestedBinding;
            if (evicting != null) {
                evictNowAndLater(evicting, new ArrayList<>(all));
            }
        } finally {
            frames.get().remove(call.frame.rule);
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

    /**
     * The keys of one call: those rendered from the arguments on entry (or now, when the rules changed
     * while the body ran), then those built from the result unless the mutator threw.
     */
    private static List<String> keys(EvictBinding binding, List<String> argumentKeys, Object[] arguments,
                                     Object returned, Throwable thrown) {
        List<String> keys = new ArrayList<>(binding.keys.size());
        if (argumentKeys != null) {
            keys.addAll(argumentKeys);
        } else {
            render(binding, arguments, null, false, keys);
        }
        if (thrown == null) {
            render(binding, arguments, returned, true, keys);
        }
        return keys;
    }

    private void evictNowAndLater(EvictBinding binding, List<String> keys) {
        evict(binding, keys);
        if (!binding.rule.repeatAfter().isZero()) {
            repeats.schedule(binding.rule.name() + '\u0000' + keys, binding.rule.repeatAfter().toMillis(),
                    () -> evict(binding, keys));
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
        EvictBinding binding = site.binding();
        if (binding != null && binding.version == current.version()) {
            return binding;
        }
        binding = bind(site, declaringType, current);
        site.bind(binding, declaringType);
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
            JsonCodec codec = codecs.forLoader(declaringType.getClassLoader());
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

    void close() {
        repeats.stop();
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
