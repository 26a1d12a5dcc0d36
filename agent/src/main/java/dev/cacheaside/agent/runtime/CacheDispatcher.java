package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.CacheMode;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.config.KeyTemplate;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;
import dev.cacheaside.bridge.Dispatcher;
import dev.cacheaside.bridge.Hit;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The cache-aside pattern behind every instrumented method. Every failure here (Redis down, a value
 * that no longer reads, a key that cannot be rendered) makes the call run as if the agent were absent;
 * nothing is thrown back into the application.
 */
public final class CacheDispatcher implements Dispatcher {

    private static final ObjectMapper TREE_READER = new ObjectMapper();

    private final SiteRegistry sites;
    private final StatsRegistry stats;
    private final JsonCodec codec;
    private final CacheStore store;
    private final EvictionBacklog backlog;
    private final ScheduledExecutorService scheduler;
    private volatile RuleSet rules;

    public CacheDispatcher(SiteRegistry sites, StatsRegistry stats, JsonCodec codec, CacheStore store,
                           ScheduledExecutorService scheduler, RuleSet rules) {
        this.sites = sites;
        this.stats = stats;
        this.codec = codec;
        this.store = store;
        this.scheduler = scheduler;
        this.rules = rules;
        this.backlog = new EvictionBacklog(this::dropPatternsMatching);
    }

    /** The task that carries out missed evictions when Redis is back; register it with the store. */
    public EvictionBacklog backlog() {
        return backlog;
    }

    /** Applies new rules: each site rebinds on its next call, without any retransformation. */
    public void update(RuleSet newRules) {
        this.rules = newRules;
    }

    public RuleSet rules() {
        return rules;
    }

    // ---- cached methods ----

    @Override
    public Object enterCache(int siteId, Class<?> declaringType, Object[] arguments) {
        CacheSite site = sites.cacheSite(siteId);
        if (site == null) {
            return null;
        }
        CacheBinding binding = binding(site, declaringType);
        if (!binding.isActive()) {
            return null;
        }
        CacheRule rule = binding.rule;
        String key;
        try {
            key = binding.key.render(arguments, null);
        } catch (CodecException | RuntimeException e) {
            binding.stats.errors.increment();
            AgentLog.warnLimited("key:" + rule.name(), "rule '" + rule.name() + "': cannot render key '"
                    + rule.key() + "', the call runs uncached: " + e.getMessage());
            return null;
        }
        if (!store.isAvailable()) {
            binding.stats.bypassed.increment();
            return null;
        }
        byte[] cached;
        try {
            cached = store.get(key);
        } catch (StoreException e) {
            countStoreFailure(binding.stats, rule.name(), e);
            return null;
        }
        boolean shadow = rule.mode() == CacheMode.SHADOW;
        if (cached != null) {
            Object value = decodeHit(binding, key, cached);
            if (value != NOT_A_HIT) {
                binding.stats.hits.increment();
                if (shadow) {
                    return new CallToken(key, binding, CallToken.Action.OBSERVE, null);
                }
                if (rule.auditRate() > 0 && ThreadLocalRandom.current().nextDouble() < rule.auditRate()) {
                    return new CallToken(key, binding, CallToken.Action.AUDIT, cached);
                }
                return new Hit(binding.shape.wrap(value));
            }
        }
        binding.stats.misses.increment();
        return new CallToken(key, binding, shadow ? CallToken.Action.OBSERVE : CallToken.Action.STORE, null);
    }

    private static final Object NOT_A_HIT = new Object();

    /** The stored value, or {@link #NOT_A_HIT} when the entry is too large, unreadable or a null not wanted. */
    private Object decodeHit(CacheBinding binding, String key, byte[] cached) {
        CacheRule rule = binding.rule;
        if (cached.length > rule.maxValueSize()) {
            binding.stats.errors.increment();
            AgentLog.warnLimited("large:" + rule.name(), "rule '" + rule.name() + "': value at '" + key + "' is "
                    + cached.length + " bytes, over max-value-size " + rule.maxValueSize() + "; ignored, not parsed");
            return NOT_A_HIT;
        }
        Object value;
        try {
            value = codec.decode(cached, binding.shape.storedType());
        } catch (CodecException e) {
            binding.stats.errors.increment();
            AgentLog.warnLimited("decode:" + rule.name(), "rule '" + rule.name() + "': value at '" + key
                    + "' no longer reads as the method's return type, deleted and treated as a miss: "
                    + e.getMessage());
            deleteQuietly(key);
            return NOT_A_HIT;
        }
        if (value == null && !rule.cacheNulls() && binding.shape.kind() != ValueShape.Kind.OPTIONAL) {
            return NOT_A_HIT;
        }
        return value;
    }

    @Override
    public Object exitCache(int siteId, Object token, Object returned, Throwable thrown) {
        if (token instanceof Hit) {
            return ((Hit) token).value();
        }
        if (!(token instanceof CallToken) || thrown != null) {
            return returned;
        }
        CallToken call = (CallToken) token;
        if (call.action == CallToken.Action.STORE) {
            storeResult(call, returned);
        } else if (call.action == CallToken.Action.AUDIT) {
            audit(call, returned);
        }
        return returned;
    }

    private void storeResult(CallToken call, Object returned) {
        switch (call.binding.shape.kind()) {
            case FUTURE:
                if (returned instanceof CompletionStage) {
                    ((CompletionStage<?>) returned).whenComplete((value, failure) -> {
                        if (failure == null) {
                            storeValue(call, value);
                        }
                    });
                }
                return;
            case OPTIONAL:
                if (returned instanceof Optional) {
                    storeValue(call, ((Optional<?>) returned).orElse(null));
                }
                return;
            default:
                if (returned == null && !call.binding.rule.cacheNulls()) {
                    call.binding.stats.storeSkips.increment();
                    return;
                }
                storeValue(call, returned);
        }
    }

    private void storeValue(CallToken call, Object value) {
        CacheRule rule = call.binding.rule;
        RuleStats ruleStats = call.binding.stats;
        if (value == null && !rule.cacheNulls() && call.binding.shape.kind() != ValueShape.Kind.OPTIONAL) {
            ruleStats.storeSkips.increment();
            return;
        }
        byte[] json;
        try {
            json = codec.encode(value);
        } catch (CodecException e) {
            ruleStats.storeSkips.increment();
            AgentLog.warnLimited("encode:" + rule.name(), "rule '" + rule.name() + "': result not stored: "
                    + e.getMessage());
            return;
        }
        if (json.length > rule.maxValueSize()) {
            ruleStats.storeSkips.increment();
            AgentLog.warnLimited("large-store:" + rule.name(), "rule '" + rule.name() + "': result for '" + call.key
                    + "' is " + json.length + " bytes, over max-value-size " + rule.maxValueSize() + "; not stored");
            return;
        }
        try {
            store.set(call.key, json, ttlMillis(rule));
            ruleStats.stores.increment();
        } catch (StoreException e) {
            countStoreFailure(ruleStats, rule.name(), e);
        }
    }

    private static long ttlMillis(CacheRule rule) {
        long ttl = rule.ttl().toMillis();
        if (rule.ttlJitter() > 0) {
            double spread = rule.ttlJitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            ttl = Math.round(ttl * (1 + spread));
        }
        return Math.max(1, ttl);
    }

    private void audit(CallToken call, Object returned) {
        CacheRule rule = call.binding.rule;
        Object fresh = call.binding.shape.kind() == ValueShape.Kind.OPTIONAL && returned instanceof Optional
                ? ((Optional<?>) returned).orElse(null) : returned;
        if (call.binding.shape.kind() == ValueShape.Kind.FUTURE) {
            return;
        }
        try {
            JsonNode cachedTree = TREE_READER.readTree(call.cached);
            JsonNode freshTree = TREE_READER.readTree(codec.encode(fresh));
            if (cachedTree.equals(freshTree)) {
                return;
            }
        } catch (CodecException | IOException e) {
            return;
        }
        call.binding.stats.auditMismatches.increment();
        AgentLog.warnLimited("audit:" + rule.name(), "rule '" + rule.name() + "': audit found a stale entry at key '"
                + call.key + "': the cached value differs from what the method returns now, so the entry was "
                + "replaced. An evict rule may be missing for a method that changes this data.");
        storeValue(call, fresh);
    }

    private CacheBinding binding(CacheSite site, Class<?> declaringType) {
        RuleSet current = rules;
        CacheBinding binding = site.binding;
        if (binding != null && binding.version == current.version()) {
            return binding;
        }
        binding = bind(site, declaringType, current);
        site.binding = binding;
        return binding;
    }

    private CacheBinding bind(CacheSite site, Class<?> declaringType, RuleSet current) {
        CacheRule rule = current.cacheRule(site.ruleName);
        if (rule == null || !rule.method().toString().equals(site.methodSpec) || rule.mode() == CacheMode.OFF) {
            return CacheBinding.inactive(current.version());
        }
        try {
            Method method = site.method(declaringType);
            if (method.getReturnType() == void.class) {
                AgentLog.error("rule '" + rule.name() + "' (" + rule.origin() + "): " + site.describe(declaringType)
                        + " returns void, so there is nothing to cache; the rule skips it");
                return CacheBinding.inactive(current.version());
            }
            if (!checkArguments(rule.name(), rule.origin(), rule.key(), method, declaringType, site)) {
                return CacheBinding.inactive(current.version());
            }
            return new CacheBinding(current.version(), rule, new KeyRenderer(current.keyPrefix(), rule.key(), codec),
                    ValueShape.of(method, declaringType, codec), stats.forRule(rule.name()));
        } catch (RuntimeException e) {
            AgentLog.error("rule '" + rule.name() + "': cannot prepare " + site.describe(declaringType)
                    + ", it runs uncached", e);
            return CacheBinding.inactive(current.version());
        }
    }

    private static boolean checkArguments(String ruleName, String origin, KeyTemplate template, Method method,
                                          Class<?> declaringType, Site site) {
        int highest = template.highestArgumentIndex();
        if (highest < method.getParameterCount()) {
            return true;
        }
        AgentLog.error("rule '" + ruleName + "' (" + origin + "): key '" + template + "' names argument " + highest
                + " but " + site.describe(declaringType) + " has " + method.getParameterCount()
                + " parameter(s); the rule skips this method");
        return false;
    }

    // ---- mutators ----

    @Override
    public void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object returned,
                              Throwable thrown) {
        EvictSite site = sites.evictSite(siteId);
        if (site == null) {
            return;
        }
        EvictBinding binding = binding(site, declaringType);
        if (!binding.isActive()) {
            return;
        }
        List<String> keys = new ArrayList<>(binding.keys.size());
        for (KeyRenderer renderer : binding.keys) {
            if (renderer.template().usesResult() && thrown != null) {
                continue;
            }
            try {
                keys.add(renderer.render(arguments, returned));
            } catch (CodecException | RuntimeException e) {
                binding.stats.errors.increment();
                AgentLog.warnLimited("evict-key:" + binding.rule.name(), "evict rule '" + binding.rule.name()
                        + "': cannot render key '" + renderer.template() + "': " + e.getMessage());
            }
        }
        evict(binding, keys);
        if (!binding.rule.repeatAfter().isZero()) {
            scheduler.schedule(() -> evict(binding, keys), binding.rule.repeatAfter().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void evict(EvictBinding binding, List<String> keys) {
        String name = binding.rule.name();
        if (!keys.isEmpty()) {
            try {
                store.delete(keys);
                binding.stats.evictions.add(keys.size());
            } catch (StoreException e) {
                backlog.addKeys(keys);
                countStoreFailure(binding.stats, name, e);
            }
        }
        for (String pattern : binding.dropPatterns) {
            try {
                binding.stats.evictions.add(store.deleteMatching(pattern));
            } catch (StoreException e) {
                backlog.addPatterns(Collections.singletonList(pattern));
                countStoreFailure(binding.stats, name, e);
            }
        }
    }

    private EvictBinding binding(EvictSite site, Class<?> declaringType) {
        RuleSet current = rules;
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
                if (checkArguments(rule.name(), rule.origin(), template, method, declaringType, site)) {
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

    // ---- shared ----

    private void countStoreFailure(RuleStats ruleStats, String ruleName, StoreException e) {
        if (e.isUnavailable()) {
            ruleStats.bypassed.increment();
        } else {
            ruleStats.errors.increment();
            AgentLog.warnLimited("redis:" + ruleName, "rule '" + ruleName + "': " + e.getMessage());
        }
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(Collections.singletonList(key));
        } catch (StoreException ignored) {
            // the entry stays unreadable until its TTL ends; every read of it is a miss
        }
    }

    /** The drop patterns of the cache rules whose keys could include this one. */
    private Collection<String> dropPatternsMatching(String key) {
        RuleSet current = rules;
        List<String> patterns = new ArrayList<>();
        for (CacheRule rule : current.settings().cacheRules().values()) {
            String pattern = rule.key().scanPattern(current.keyPrefix());
            if (globToRegex(pattern).matcher(key).matches()) {
                patterns.add(pattern);
            }
        }
        return patterns;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
