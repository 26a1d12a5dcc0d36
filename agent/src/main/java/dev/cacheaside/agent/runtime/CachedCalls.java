package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.codec.LazyValueException;
import dev.cacheaside.agent.config.CacheMode;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.FreshnessSettings;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;
import dev.cacheaside.agent.store.StoredEntry;
import dev.cacheaside.agent.store.WaitBudget;
import dev.cacheaside.bridge.Hit;
import dev.cacheaside.bridge.Rewrite;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The cache-aside pattern of cached methods: look up, serve a hit, or let the body run and store its
 * result, through a lease-guarded fill unless the rule turns leases off.
 */
final class CachedCalls {

    private static final ObjectMapper TREE_READER = new ObjectMapper();
    private static final Object NOT_A_HIT = new Object();

    /** The longest warning the codec and the read-back check write. */
    static final int MAX_WARNING = 2000;

    private static final String UNEQUAL_FIX = "keep every part of the state that equality depends on in"
            + " non-transient fields (getters and computed values are not stored), or return a DTO or record";
    private static final String DECLARED_TYPE_FIX = "put the rule on a method whose declared return type names"
            + " the class (a subclass or an interface that fixes the type variable, not a generic base class)";

    private final SiteRegistry sites;
    private final StatsRegistry stats;
    private final Codecs codecs;
    private final CacheStore store;
    private final Fills fills;
    private final Supplier<RuleSet> rules;
    private final NearCaches nearCaches;
    private final Predicate<String> evictionPending;
    private final ValueCopier copier = new ValueCopier();
    private final FutureFills futures;
    private final Refresher refresher;
    private final BulkCalls bulkCalls;
    private final StaleAudits staleAudits;

    /**
     * @param evictionPending whether an eviction of a key has not been carried out yet: such a key is neither served nor stored
     * @param executor where the values of futures are stored, off the threads that complete them
     * @param staleAudits counts each completed audit against its rule's max-stale-ratio
     */
    CachedCalls(SiteRegistry sites, StatsRegistry stats, Codecs codecs, CacheStore store, Supplier<RuleSet> rules,
                NearCaches nearCaches, Predicate<String> evictionPending, ScheduledExecutorService executor,
                StaleAudits staleAudits) {
        this.staleAudits = staleAudits;
        this.futures = new FutureFills(executor);
        this.evictionPending = evictionPending;
        this.nearCaches = nearCaches;
        this.sites = sites;
        this.stats = stats;
        this.codecs = codecs;
        this.store = store;
        this.fills = new Fills(store);
        this.refresher = new Refresher(store);
        this.bulkCalls = new BulkCalls(store, evictionPending);
        this.rules = rules;
    }

    /** The leases to release when Redis is back; register it with the store. */
    LeaseReleases leaseReleases() {
        return fills.releases();
    }

    Object enter(int siteId, Class<?> declaringType, Object self, Object[] arguments) {
        CacheSite site = sites.cacheSite(siteId);
        if (site == null) {
            return null;
        }
        CacheBinding binding = binding(site, declaringType);
        if (!binding.isActive()) {
            if (binding.turnedOff) {
                binding.stats.offCalls.increment();
            }
            return null;
        }
        if (binding.bulk != null) {
            return bulkCalls.enter(binding, arguments);
        }
        long started = binding.counted ? System.nanoTime() : 0;
        CacheRule rule = binding.rule;
        String key;
        try {
            key = binding.key.render(arguments, null);
        } catch (CodecException | RuntimeException e) {
            binding.stats.error(RuleStats.ErrorKind.KEY);
            AgentLog.warnLimited("key:" + rule.name(), capped("rule '" + rule.name() + "': cannot render key '"
                    + rule.key() + "', the call runs uncached: " + e.getMessage() + (e instanceof CodecException
                    ? ". To cache it, " + ((CodecException) e).fix() : "")));
            return null;
        }
        if (!store.isAvailable() || evictionPending.test(key)) {
            binding.stats.bypassed.increment();
            return null;
        }
        FreshnessSettings freshness = rule.freshness();
        if (freshness.refreshAhead() > 0) {
            Refresher.Refresh refresh = Refresher.current(key);
            if (refresh != null) {
                return CallToken.refresh(key, binding, refresh.expected);
            }
        }
        if (Fills.isLeading(key)) {
            return null;
        }
        boolean shadow = rule.mode() == CacheMode.SHADOW;
        NearCache near = shadow ? null : binding.near;
        if (near != null && nearCaches.isServing()) {
            NearCache.Entry local = near.get(key);
            if (local != null) {
                Object value = local.prototype == ValueCopier.NOT_COPYABLE ? ValueCopier.NOT_COPYABLE
                        : copier.copy(local.prototype);
                if (value == ValueCopier.NOT_COPYABLE) {
                    value = decodeHit(binding, key, local.json);
                }
                Object wrapped = value == NOT_A_HIT ? null : binding.shape.wrap(value);
                if (value != NOT_A_HIT && binding.shape.fits(wrapped)) {
                    Hit hit = new Hit(wrapped);
                    if (binding.counted) {
                        binding.stats.nearHits.increment();
                        countHit(binding, started);
                    }
                    return hit;
                }
                near.remove(key);
            }
        }
        // every Redis operation of the call, lookup, lease and store, waits for Redis at most timeout in all
        WaitBudget.beginCall(rules.get().settings().redis().timeout().toNanos());
        try {
            Object token = lookUp(site, binding, key, near, shadow, started, declaringType, self, arguments);
            if (token instanceof CallToken) {
                ((CallToken) token).waitLeftNanos = WaitBudget.callLeftNanos();
            }
            return token;
        } finally {
            WaitBudget.endCall();
        }
    }

    /** The part of {@link #enter} that asks Redis: the lookup, and a miss's lease or a wait for another's fill. */
    private Object lookUp(CacheSite site, CacheBinding binding, String key, NearCache near, boolean shadow,
                          long started, Class<?> declaringType, Object self, Object[] arguments) {
        CacheRule rule = binding.rule;
        FreshnessSettings freshness = rule.freshness();
        long epochBefore = nearCaches.epoch();
        byte[] cached;
        long remainingTtl = -1;
        long readAt = 0;
        // a miss leaves the lookup holding its lease: two round trips per miss, as hand-written cache-aside takes
        byte[] marker = !shadow && rule.lease().enabled() && !freshness.readsTtl() && store.looksUpWithLease()
                ? fills.newMarker() : null;
        try {
            if (freshness.readsTtl()) {
                StoredEntry entry = store.getWithTtl(key);
                cached = entry.value();
                remainingTtl = entry.remainingTtlMillis();
                readAt = System.currentTimeMillis();
            } else if (marker != null) {
                cached = fills.lookupOrLease(key, marker, rule.lease());
            } else {
                cached = store.get(key);
            }
        } catch (StoreException e) {
            storeFailed(binding.stats, rule.name(), e);
            return null;
        }
        if (marker != null && cached == null) {
            binding.stats.misses.increment();
            return CallToken.leased(key, binding, fills.lead(key, marker));
        }
        // with stale-if-error an entry lives on past its TTL: then it is a miss, kept to stand in for an exception
        byte[] stale = null;
        long freshMillis = Long.MAX_VALUE;
        if (cached != null && remainingTtl >= 0 && !Fills.isLease(cached)) {
            freshMillis = remainingTtl - freshness.staleIfError().toMillis();
            if (freshMillis <= 0) {
                stale = cached;
                cached = null;
            }
        }
        if (cached != null && Fills.isLease(cached)) {
            if (shadow) {
                binding.stats.misses.increment();
                return CallToken.observe(key, binding);
            }
            return served(binding, key, fills.awaitFill(key, cached, rule.lease()));
        }
        if (cached != null) {
            Object value = decodeHit(binding, key, cached);
            if (value != NOT_A_HIT && binding.shape.fits(binding.shape.wrap(value))) {
                if (shadow) {
                    binding.stats.hits.increment();
                    return CallToken.observe(key, binding);
                }
                if (rule.auditRate() > 0 && ThreadLocalRandom.current().nextDouble() < rule.auditRate()) {
                    CallToken audit = startAudit(binding, key, cached, declaringType);
                    if (audit != null) {
                        if (binding.counted) {
                            binding.stats.hits.increment();
                        }
                        return audit;
                    }
                }
                if (near != null) {
                    near.put(key, cached, copier.copy(value), epochBefore, nearCaches);
                }
                if (freshMillis < freshness.refreshAhead() * rule.ttl().toMillis()) {
                    startRefresh(site, binding, key, cached, freshMillis, declaringType, self, arguments);
                }
                Hit hit = new Hit(binding.shape.wrap(value));
                if (binding.counted) {
                    countHit(binding, started);
                }
                return hit;
            }
        }
        if (shadow) {
            binding.stats.misses.increment();
            return CallToken.observe(key, binding);
        }
        long staleEnds = readAt + remainingTtl;
        if (!rule.lease().enabled()) {
            binding.stats.misses.increment();
            return CallToken.store(key, binding).withStale(stale, staleEnds);
        }
        if (stale != null) {
            // the expired entry is swapped for a lease, as a fill's absent key is, and put back if the method throws
            Fills.Lead lead = fills.beginAudit(key, stale, rule.lease());
            if (lead != null) {
                binding.stats.misses.increment();
                return CallToken.leased(key, binding, lead).withStale(stale, staleEnds);
            }
            Object served = served(binding, key, fills.awaitFill(key, null, rule.lease()));
            return served instanceof CallToken ? ((CallToken) served).withStale(stale, staleEnds) : served;
        }
        Fills.Outcome outcome = fills.begin(key, rule.lease());
        if (outcome.lead != null) {
            binding.stats.misses.increment();
            return CallToken.leased(key, binding, outcome.lead);
        }
        return served(binding, key, outcome.value);
    }

    /**
     * Starts an audit of a hit. With leases, the entry is held by a lease while the method runs, as a
     * fill is, so a replacement of a stale entry is voided by an eviction that races it; null when the
     * lease cannot be had (a fill runs, the entry just changed): the hit is then served unaudited.
     */
    private CallToken startAudit(CacheBinding binding, String key, byte[] cached, Class<?> declaringType) {
        CacheRule rule = binding.rule;
        if (!rule.lease().enabled() || binding.shape.kind() == ValueShape.Kind.FUTURE) {
            return CallToken.audit(key, binding, cached, declaringType, null, -1);
        }
        long remaining;
        try {
            remaining = store.remainingTtlMillis(key);
        } catch (StoreException e) {
            storeFailed(binding.stats, rule.name(), e);
            return null;
        }
        Fills.Lead lead = fills.beginAudit(key, cached, rule.lease());
        return lead == null ? null : CallToken.audit(key, binding, cached, declaringType, lead, remaining);
    }

    private void startRefresh(CacheSite site, CacheBinding binding, String key, byte[] cached, long freshMillis,
                              Class<?> declaringType, Object self, Object[] arguments) {
        try {
            refresher.start(binding, key, cached, freshMillis, site.method(declaringType), self, arguments);
        } catch (RuntimeException e) {
            binding.stats.refreshFailures.increment();
        }
    }

    private static void countHit(CacheBinding binding, long started) {
        binding.stats.hits.increment();
        binding.stats.hitLatency.record(System.nanoTime() - started);
    }

    /** A value another fill produced, or (none within the wait) a call that runs and stores nothing. */
    private Object served(CacheBinding binding, String key, byte[] json) {
        if (json != null) {
            Object value = decodeHit(binding, key, json);
            if (value != NOT_A_HIT && binding.shape.fits(binding.shape.wrap(value))) {
                binding.stats.hits.increment();
                return new Hit(binding.shape.wrap(value));
            }
        }
        binding.stats.misses.increment();
        if (json == null) {
            binding.stats.leaseWaitsExpired.increment();
        }
        return CallToken.observe(key, binding);
    }

    /** The stored value, or {@link #NOT_A_HIT} when the entry is too large, unreadable or a null not wanted. */
    private Object decodeHit(CacheBinding binding, String key, byte[] cached) {
        CacheRule rule = binding.rule;
        if (cached.length > rule.maxValueSize()) {
            binding.stats.error(RuleStats.ErrorKind.VALUE);
            AgentLog.warnLimited("large:" + rule.name(), "rule '" + rule.name() + "': value at '" + key + "' is "
                    + cached.length + " bytes, over max-value-size " + rule.maxValueSize() + "; ignored, not parsed");
            return NOT_A_HIT;
        }
        Object value;
        try {
            value = binding.codec.decode(cached, binding.shape.storedType());
        } catch (CodecException e) {
            binding.stats.error(RuleStats.ErrorKind.VALUE);
            AgentLog.warnLimited("decode:" + rule.name(), capped("rule '" + rule.name() + "': value at '" + key
                    + "' no longer reads as the method's return type, deleted and treated as a miss: "
                    + e.getMessage() + ". To keep it cached, " + e.fix()));
            deleteQuietly(key);
            return NOT_A_HIT;
        }
        if (value == null && !rule.cacheNulls() && binding.shape.kind() != ValueShape.Kind.OPTIONAL) {
            return NOT_A_HIT;
        }
        return value;
    }

    Object exit(Object token, Object returned, Throwable thrown) {
        if (token instanceof Hit) {
            return ((Hit) token).value();
        }
        if (token instanceof Rewrite) {
            return bulkCalls.exit((BulkCalls.Token) ((Rewrite) token).state(), returned, thrown);
        }
        if (!(token instanceof CallToken)) {
            return returned;
        }
        CallToken call = (CallToken) token;
        if (call.binding.counted) {
            call.binding.stats.methodLatency.record(System.nanoTime() - call.bodyStarted);
        }
        if (call.lead != null) {
            Fills.bodyDone(call.lead);
        }
        if (thrown != null) {
            Object stale = call.stale != null && thrown instanceof Exception ? serveStale(call, thrown) : null;
            if (stale != null) {
                return stale;
            }
            if (call.action == CallToken.Action.AUDIT) {
                putBack(call);
            } else if (call.lead != null) {
                fills.abandon(call.lead);
            }
            return returned;
        }
        // the store waits only for what the lookup left of the call's timeout
        WaitBudget.beginCall(call.waitLeftNanos);
        try {
            switch (call.action) {
                case STORE:
                case STORE_LEASED:
                case REFRESH:
                    storeResult(call, returned);
                    break;
                case AUDIT:
                    audit(call, returned);
                    break;
                default:
                    break;
            }
        } finally {
            WaitBudget.endCall();
        }
        return returned;
    }

    /**
     * The expired entry in place of the method's exception, while it is younger than stale-if-error; its
     * lease gives the entry back. Null when there is none to serve: the exception then reaches the caller.
     */
    private Object serveStale(CallToken call, Throwable thrown) {
        CacheBinding binding = call.binding;
        long left = call.staleEndsAtMillis - System.currentTimeMillis();
        if (left <= 0 || binding.shape.kind() == ValueShape.Kind.FUTURE) {
            return null;
        }
        Object value = decodeHit(binding, call.key, call.stale);
        if (value == NOT_A_HIT || !binding.shape.fits(binding.shape.wrap(value))) {
            return null;
        }
        if (call.lead != null) {
            try {
                fills.finish(call.lead, call.stale, left);
            } catch (StoreException e) {
                storeFailed(binding.stats, binding.rule.name(), e);
            }
        }
        binding.stats.staleServes.increment();
        String rule = binding.rule.name();
        AgentLog.warnLimited("stale:" + rule, () -> capped("rule '" + rule + "': the method threw " + thrown
                + "; served the entry at '" + call.key + "', expired " + Math.max(0,
                (binding.rule.freshness().staleIfError().toMillis() - left) / 1000) + " s ago (stale-if-error = "
                + binding.rule.freshness().staleIfError() + ")"));
        return new Hit(binding.shape.wrap(value));
    }

    private void storeResult(CallToken call, Object returned) {
        switch (call.binding.shape.kind()) {
            case FUTURE:
                if (returned instanceof CompletionStage) {
                    // within the lease's time, as a fill of a plain value is; later, a fill runs again
                    futures.whenComplete((CompletionStage<?>) returned, call.binding.rule.lease().ttl().toMillis(),
                            value -> storeCompleted(call, value), () -> abandonFill(call));
                } else if (call.lead != null) {
                    fills.abandon(call.lead);
                }
                return;
            case OPTIONAL:
                if (returned instanceof Optional) {
                    storeValue(call, ((Optional<?>) returned).orElse(null));
                } else if (call.lead != null) {
                    fills.abandon(call.lead);
                }
                return;
            default:
                storeValue(call, returned);
        }
    }

    private void storeCompleted(CallToken call, Object value) {
        try {
            storeValue(call, value);
        } catch (RuntimeException e) {
            // off the application's thread nobody would see it: release the flight, or its key waits forever
            abandonFill(call);
            AgentLog.warnLimited("future:" + call.binding.rule.name(), "rule '" + call.binding.rule.name()
                    + "': cannot store the completed value at '" + call.key + "': " + e);
        }
    }

    private void abandonFill(CallToken call) {
        if (call.lead != null) {
            fills.abandon(call.lead);
        }
    }

    private void storeValue(CallToken call, Object value) {
        CacheRule rule = call.binding.rule;
        RuleStats ruleStats = call.binding.stats;
        byte[] json = null;
        try {
            json = call.binding.codec.encode(value);
        } catch (LazyValueException e) {
            turnOff(call, value, "it holds " + e.getMessage() + ". The agent does not load it: that would run"
                    + " queries the application did not ask for, or fail outside its session", e.fix());
        } catch (CodecException e) {
            turnOff(call, value, e.cause().what() + " (" + e.getMessage() + ")", e.fix());
        }
        if (json != null && value != null && !call.binding.roundTripChecked && !readsBack(call, value, json)) {
            json = null;
        }
        boolean storable = json != null && json.length <= rule.maxValueSize()
                && (value != null || rule.cacheNulls() || call.binding.shape.kind() == ValueShape.Kind.OPTIONAL);
        if (json != null && json.length > rule.maxValueSize()) {
            AgentLog.warnLimited("large-store:" + rule.name(), "rule '" + rule.name() + "': result for '" + call.key
                    + "' is " + json.length + " bytes, over max-value-size " + rule.maxValueSize() + "; not stored");
        }
        if (!storable) {
            ruleStats.storeSkips.increment();
        }
        try {
            if (call.action == CallToken.Action.REFRESH) {
                // only over the value the refresh started from: an eviction or a newer fill since then wins
                if (storable && store.replaceIfEquals(call.key, call.cached, json, storedTtlMillis(rule))) {
                    ruleStats.refreshes.increment();
                }
            } else if (call.lead != null) {
                boolean stored = fills.finish(call.lead, json, storable ? storedTtlMillis(rule) : 0);
                if (stored) {
                    ruleStats.stores.increment();
                } else if (storable) {
                    ruleStats.voidedFills.increment();
                }
            } else if (storable) {
                store.set(call.key, json, storedTtlMillis(rule));
                ruleStats.stores.increment();
            }
        } catch (StoreException e) {
            storeFailed(ruleStats, rule.name(), e);
        }
    }

    /**
     * The first stored value of a site is read back and written again: a type without a usable
     * constructor, whose JSON loses what equality depends on, or that reads back as another class, turns
     * the rule off for that method, once and loudly, instead of serving wrong values.
     */
    private boolean readsBack(CallToken call, Object value, byte[] json) {
        try {
            JavaType storedType = call.binding.shape.storedType();
            JsonCodec codec = call.binding.codec;
            Object back = codec.decode(json, storedType);
            String drift = ReadBackTypes.drift(value, back, storedType);
            if (drift != null) {
                turnOff(call, value, "it reads back as " + drift + ", since the method's declared return type "
                        + storedType.toCanonical() + " does not name the class", DECLARED_TYPE_FIX);
            } else if (codec.sameValue(value, back)) {
                call.binding.roundTripChecked = true;
                return true;
            } else {
                turnOff(call, value, "its JSON reads back as a different value: state outside the fields the"
                        + " agent writes is lost", UNEQUAL_FIX);
            }
        } catch (CodecException e) {
            turnOff(call, value, e.cause().what() + ", so its JSON does not read back (" + e.getMessage() + ")",
                    e.fix());
        } catch (RuntimeException e) {
            turnOff(call, value, "its JSON does not read back (" + e + ")", CodecException.Cause.OTHER.fix());
        }
        return false;
    }

    private static void turnOff(CallToken call, Object value, String reason, String fix) {
        CacheBinding binding = call.binding;
        if (binding.turnedOff) {
            return;
        }
        binding.turnedOff = true;
        binding.stats.error(RuleStats.ErrorKind.VALUE);
        String problem = "a value of " + (value == null ? "null" : value.getClass().getName()) + " cannot be cached: "
                + reason;
        binding.stats.turnOff(binding.version, capped(problem));
        AgentLog.warn(turnOffMessage(binding.rule.name(), value == null ? "null" : value.getClass().getName(),
                reason, fix));
    }

    /** The warning of a rule turned off, at most {@link #MAX_WARNING} characters: the reason gives way. */
    static String turnOffMessage(String rule, String type, String reason, String fix) {
        String head = "rule '" + rule + "': a value of " + type + " cannot be cached: ";
        String tail = ". The rule is turned off for this method until the config is reloaded; the application is"
                + " unaffected. To cache it, " + fix;
        return capped(head + capped(reason, Math.max(200, MAX_WARNING - head.length() - tail.length())) + tail);
    }

    static String capped(String text) {
        return capped(text, MAX_WARNING);
    }

    private static String capped(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    /** How long an entry stays in Redis: its TTL, and after it the time it may still stand in for an error. */
    static long storedTtlMillis(CacheRule rule) {
        return ttlMillis(rule) + rule.freshness().staleIfError().toMillis();
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
        if (call.binding.shape.kind() == ValueShape.Kind.FUTURE) {
            return;
        }
        Object fresh = call.binding.shape.kind() == ValueShape.Kind.OPTIONAL && returned instanceof Optional
                ? ((Optional<?>) returned).orElse(null) : returned;
        JsonCodec codec = call.binding.codec;
        try {
            JsonNode cachedTree = TREE_READER.readTree(call.cached);
            JsonNode freshTree = TREE_READER.readTree(codec.encode(fresh));
            if (cachedTree.equals(freshTree)
                    || codec.sameValue(fresh, codec.decode(call.cached, call.binding.shape.storedType()))) {
                putBack(call); // equal, or equal but for the order of a set (a HashSet of entities iterates at random)
                staleAudits.record(rule, call.binding.version, call.binding.stats, false);
                return;
            }
        } catch (CodecException | IOException e) {
            putBack(call);
            return;
        }
        AgentLog.warnLimited("audit:" + rule.name(), () -> capped("rule '" + rule.name() + "': audit found a stale"
                + " entry at key '" + call.key + "': the cached value differs from what the method returns now, so"
                + " the entry was replaced. An evict rule may be missing for a method that changes this data. "
                + suspects(call)));
        storeValue(call, fresh);
        staleAudits.record(rule, call.binding.version, call.binding.stats, true);
    }

    /** An audit that replaces nothing puts the entry back, with the TTL it had left, unless an eviction voided its lease. */
    private void putBack(CallToken call) {
        if (call.lead == null) {
            return;
        }
        long ttl = call.remainingTtlMillis > 0 ? call.remainingTtlMillis : storedTtlMillis(call.binding.rule);
        try {
            fills.finish(call.lead, call.cached, ttl);
        } catch (StoreException e) {
            storeFailed(call.binding.stats, call.binding.rule.name(), e);
        }
    }

    /**
     * The methods of the audited class that ran in this JVM since the entry was stored: the likely
     * mutators without an evict rule, or with one whose keys miss this entry. The entry's age comes from
     * its remaining TTL, taking the longest TTL jitter allows so that no suspect is left out.
     */
    private String suspects(CallToken call) {
        CacheRule rule = call.binding.rule;
        long now = System.currentTimeMillis();
        long since = 0;
        String age = "since this JVM started (the entry's age is unknown)";
        try {
            // while the audit holds the lease, the key's TTL is the lease's: take the entry's from before,
            // measured from the moment it was read, not from after the method ran
            long remaining;
            if (call.lead != null) {
                remaining = call.remainingTtlMillis;
                now = call.remainingReadMillis;
            } else {
                remaining = store.remainingTtlMillis(call.key);
            }
            if (remaining >= 0) {
                long longestTtl = Math.round(rule.ttl().toMillis() * (1 + rule.ttlJitter()))
                        + rule.freshness().staleIfError().toMillis();
                long storedAt = now - Math.max(0, longestTtl - remaining);
                since = storedAt - 1000; // slack for the store's own latency and the clocks' granularity
                age = "since the entry was stored, about " + Math.max(0, (now - storedAt) / 1000) + " s ago";
            }
        } catch (StoreException e) {
            // the age stays unknown; every method that ran is a suspect
        }
        String type = call.declaringType.getName();
        StringBuilder ran = new StringBuilder();
        for (Site site : sites.mutatorsOf(call.declaringType)) {
            if (site.lastRanMillis != 0 && site.lastRanMillis >= since) {
                ran.append(ran.length() == 0 ? "" : ", ").append(site.signature).append(site instanceof EvictSite
                        ? " (evict rule '" + site.ruleName + "' ran, but its keys do not cover this entry)"
                        : " (no evict rule)");
            }
        }
        if (ran.length() == 0) {
            return "No method of " + type + " that may change data ran in this JVM " + age
                    + ": look for the change in another class, another JVM or outside the application.";
        }
        return "Methods of " + type + " that ran in this JVM " + age + ": " + ran + ".";
    }

    private CacheBinding binding(CacheSite site, Class<?> declaringType) {
        RuleSet current = rules.get();
        CacheBinding binding = site.binding();
        if (binding != null && binding.version == current.version()) {
            return binding;
        }
        binding = bind(site, declaringType, current);
        site.bind(binding, declaringType);
        return binding;
    }

    private CacheBinding bind(CacheSite site, Class<?> declaringType, RuleSet current) {
        CacheRule rule = current.cacheRule(site.ruleName);
        if (rule == null || !rule.method().toString().equals(site.methodSpec) || rule.mode() == CacheMode.OFF) {
            return CacheBinding.inactive(current.version());
        }
        try {
            Method method = site.method(declaringType);
            JsonCodec codec = codecs.forLoader(declaringType.getClassLoader());
            if (method.getReturnType() == void.class) {
                AgentLog.error("rule '" + rule.name() + "' (" + rule.origin() + "): " + site.describe(declaringType)
                        + " returns void, so there is nothing to cache; the rule skips it");
                return CacheBinding.inactive(current.version());
            }
            if (!site.argumentsFit(rule.name(), rule.origin(), rule.key(), method, declaringType)) {
                return CacheBinding.inactive(current.version());
            }
            if (rule.bulk() != null) {
                return bulkBinding(site, declaringType, current, rule, method, codec);
            }
            ValueShape shape = ValueShape.of(method, declaringType, codec);
            String refused = codec.refusedTypeIn(shape.storedType());
            if (refused != null) {
                AgentLog.error(capped("rule '" + rule.name() + "' (" + rule.origin() + "): " + site.describe(declaringType)
                        + " returns " + shape.storedType().toCanonical() + ", which holds " + refused + ", a reflective"
                        + " type: a value read from Redis could name any class, so the agent never caches it and the"
                        + " rule skips this method. To cache it, " + CodecException.Cause.REFUSED_TYPE.fix()));
                return CacheBinding.inactive(current.version());
            }
            return new CacheBinding(current.version(), rule, new KeyRenderer(current.keyPrefix(), rule.key(), codec),
                    shape, stats.forRule(rule.name()), nearCaches.forRule(rule, declaringType.getClassLoader()), codec);
        } catch (RuntimeException e) {
            AgentLog.error("rule '" + rule.name() + "': cannot prepare " + site.describe(declaringType)
                    + ", it runs uncached", e);
            return CacheBinding.inactive(current.version());
        }
    }

    private CacheBinding bulkBinding(CacheSite site, Class<?> declaringType, RuleSet current, CacheRule rule,
                                     Method method, JsonCodec codec) {
        BulkShape bulk;
        try {
            bulk = BulkShape.of(rule.bulk(), current.keyPrefix(), method, declaringType, codec);
        } catch (IllegalArgumentException e) {
            AgentLog.error("rule '" + rule.name() + "' (" + rule.origin() + "): " + site.describe(declaringType)
                    + " cannot be read in bulk: " + e.getMessage() + "; the rule skips this method");
            return CacheBinding.inactive(current.version());
        }
        return new CacheBinding(current.version(), rule, null, null, stats.forRule(rule.name()), null, codec, bulk);
    }

    /** Counts a failed Redis call: unavailability is the breaker's business, anything else a rule error. */
    static void storeFailed(RuleStats ruleStats, String ruleName, StoreException e) {
        if (e.isBackPressure()) {
            ruleStats.poolBusy.increment();
            AgentLog.warnLimited("pool-busy", () -> e.getMessage() + "; if this lasts, raise redis.pool-size (counted"
                    + " as pool-busy per rule; the circuit stays closed)");
        } else if (e.isUnavailable()) {
            ruleStats.bypassed.increment();
        } else {
            ruleStats.error(RuleStats.ErrorKind.REDIS);
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
}
