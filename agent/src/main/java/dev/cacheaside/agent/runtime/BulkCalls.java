package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.config.CacheMode;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;
import dev.cacheaside.bridge.Hit;
import dev.cacheaside.bridge.Rewrite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Bulk reads: the entry of each id is looked up in one {@code MGET}; a call whose ids all hit skips the
 * method, otherwise the method runs for the missing ids only, each missing entry held by a lease (the
 * marker single-id fills use, so a single-id call of the same key waits for it), and each returned element
 * is stored at its own key while its lease holds.
 */
final class BulkCalls {

    /** What exit needs of a bulk call that runs the method. */
    static final class Token {
        final CacheBinding binding;
        final Object[] arguments;
        final List<Object> ids;
        final Map<Object, Object> found;
        final Map<String, Object> missingIdByKey;
        final List<String> leased;
        final byte[] marker;

        Token(CacheBinding binding, Object[] arguments, List<Object> ids, Map<Object, Object> found,
              Map<String, Object> missingIdByKey, List<String> leased, byte[] marker) {
            this.binding = binding;
            this.arguments = arguments;
            this.ids = ids;
            this.found = found;
            this.missingIdByKey = missingIdByKey;
            this.leased = leased;
            this.marker = marker;
        }
    }

    private final CacheStore store;
    private final Predicate<String> evictionPending;
    private final String owner = Long.toHexString(ThreadLocalRandom.current().nextLong());

    BulkCalls(CacheStore store, Predicate<String> evictionPending) {
        this.store = store;
        this.evictionPending = evictionPending;
    }

    /** A {@link Hit} when every id hit, a {@link Rewrite} to run the method for the missing ids, or null. */
    Object enter(CacheBinding binding, Object[] arguments) {
        CacheRule rule = binding.rule;
        BulkShape shape = binding.bulk;
        Object argument = arguments[shape.argument];
        if (!(argument instanceof Iterable) || rule.mode() == CacheMode.SHADOW) {
            return null;
        }
        List<Object> ids = new ArrayList<Object>(new LinkedHashSet<Object>(elementsOf((Iterable<?>) argument)));
        ids.remove(null);
        if (ids.isEmpty() || !store.isAvailable()) {
            return null;
        }
        List<String> keys = new ArrayList<String>(ids.size());
        try {
            for (Object id : ids) {
                String key = keyOf(shape, arguments, id);
                if (evictionPending.test(key)) {
                    binding.stats.bypassed.increment();
                    return null;
                }
                keys.add(key);
            }
        } catch (CodecException | RuntimeException e) {
            binding.stats.error(RuleStats.ErrorKind.KEY);
            AgentLog.warnLimited("key:" + rule.name(), "rule '" + rule.name() + "': cannot render the key of an"
                    + " element, the call runs uncached: " + e.getMessage());
            return null;
        }
        List<byte[]> values;
        try {
            values = store.getAll(keys);
        } catch (StoreException e) {
            CachedCalls.storeFailed(binding.stats, rule.name(), e);
            return null;
        }
        Map<Object, Object> found = new HashMap<Object, Object>();
        Map<String, Object> missing = new LinkedHashMap<String, Object>();
        for (int i = 0; i < ids.size(); i++) {
            Object value = decode(binding, keys.get(i), values.get(i));
            if (value == null) {
                missing.put(keys.get(i), ids.get(i));
            } else {
                found.put(ids.get(i), value);
            }
        }
        if (missing.isEmpty()) {
            binding.stats.hits.increment();
            return new Hit(shape.assemble(ids, found, new ArrayList<Object>()));
        }
        byte[] marker = Fills.marker("bulk:" + owner + ":" + ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
        List<String> leased = new ArrayList<String>();
        for (String key : missing.keySet()) {
            try {
                if (!rule.lease().enabled() || store.setIfAbsent(key, marker, rule.lease().ttl().toMillis())) {
                    leased.add(key);
                }
            } catch (StoreException e) {
                break; // the rest runs without leases and is not stored
            }
        }
        binding.stats.misses.increment();
        if (!found.isEmpty()) {
            binding.stats.bulkPartialHits.increment();
        }
        Object[] rewritten = arguments.clone();
        rewritten[shape.argument] = shape.argumentOf(new ArrayList<Object>(missing.values()));
        return new Rewrite(rewritten, new Token(binding, arguments, ids, found, missing, leased, marker));
    }

    /** Stores each returned element at its key and hands the caller every id's element, in the order of the ids. */
    Object exit(Token token, Object returned, Throwable thrown) {
        CacheBinding binding = token.binding;
        BulkShape shape = binding.bulk;
        if (thrown != null || returned == null) {
            release(token, token.leased);
            return returned;
        }
        Map<String, Object> byKey = new LinkedHashMap<String, Object>();
        List<Object> unmatched = new ArrayList<Object>();
        try {
            if (shape.result == BulkShape.Result.MAP) {
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) returned).entrySet()) {
                    byKey.put(keyOf(shape, token.arguments, entry.getKey()), entry.getValue());
                }
            } else {
                for (Object element : (Iterable<?>) returned) {
                    if (element == null) {
                        continue;
                    }
                    String key = shape.resultKey.render(new Object[]{element}, null);
                    if (token.missingIdByKey.containsKey(key)) {
                        byKey.put(key, element);
                    } else {
                        unmatched.add(element);
                    }
                }
            }
        } catch (CodecException | RuntimeException e) {
            binding.stats.error(RuleStats.ErrorKind.KEY);
            AgentLog.warnLimited("result-key:" + binding.rule.name(), "rule '" + binding.rule.name() + "': cannot"
                    + " render the key of a returned element, nothing of this call is stored: " + e.getMessage());
            release(token, token.leased);
            return returned;
        }
        List<String> unstored = new ArrayList<String>();
        for (String key : token.leased) {
            Object element = byKey.get(key);
            if (element == null || !store(token, key, element)) {
                unstored.add(key);
            }
        }
        release(token, unstored);
        Map<Object, Object> valueById = new HashMap<Object, Object>(token.found);
        for (Map.Entry<String, Object> missing : token.missingIdByKey.entrySet()) {
            if (byKey.containsKey(missing.getKey())) {
                valueById.put(missing.getValue(), byKey.get(missing.getKey()));
            }
        }
        return shape.assemble(token.ids, valueById, unmatched);
    }

    private boolean store(Token token, String key, Object element) {
        CacheRule rule = token.binding.rule;
        try {
            byte[] json = token.binding.codec.encode(element);
            if (json.length > rule.maxValueSize()) {
                token.binding.stats.storeSkips.increment();
                return false;
            }
            long ttl = CachedCalls.storedTtlMillis(rule);
            boolean stored;
            if (rule.lease().enabled()) {
                stored = store.replaceIfEquals(key, token.marker, json, ttl);
                if (!stored) {
                    token.binding.stats.voidedFills.increment();
                }
            } else {
                store.set(key, json, ttl);
                stored = true;
            }
            if (stored) {
                token.binding.stats.stores.increment();
            }
            return true;
        } catch (CodecException e) {
            token.binding.stats.error(RuleStats.ErrorKind.VALUE);
            AgentLog.warnLimited("bulk-value:" + rule.name(), "rule '" + rule.name() + "': an element for '" + key
                    + "' cannot be stored: " + e.getMessage() + ". To cache it, " + e.fix());
            return false;
        } catch (StoreException e) {
            CachedCalls.storeFailed(token.binding.stats, rule.name(), e);
            return false;
        }
    }

    private void release(Token token, List<String> keys) {
        if (!token.binding.rule.lease().enabled()) {
            return;
        }
        for (String key : keys) {
            try {
                store.deleteIfEquals(key, token.marker);
            } catch (StoreException e) {
                return; // the leases expire after lease-ttl
            }
        }
    }

    /** The element at a key, or null when it is absent, a lease, too large or unreadable (a miss). */
    private Object decode(CacheBinding binding, String key, byte[] json) {
        if (json == null || Fills.isLease(json) || json.length > binding.rule.maxValueSize()) {
            return null;
        }
        try {
            return binding.codec.decode(json, binding.bulk.elementType);
        } catch (CodecException e) {
            binding.stats.error(RuleStats.ErrorKind.VALUE);
            AgentLog.warnLimited("decode:" + binding.rule.name(), "rule '" + binding.rule.name() + "': value at '"
                    + key + "' does not read as " + binding.bulk.elementType.toCanonical() + ", treated as a miss: "
                    + e.getMessage());
            return null;
        }
    }

    private static String keyOf(BulkShape shape, Object[] arguments, Object id) throws CodecException {
        Object[] single = arguments.clone();
        single[shape.argument] = id;
        return shape.elementKey.render(single, null);
    }

    private static List<Object> elementsOf(Iterable<?> iterable) {
        List<Object> elements = new ArrayList<Object>();
        for (Object element : iterable) {
            elements.add(element);
        }
        return elements;
    }
}
