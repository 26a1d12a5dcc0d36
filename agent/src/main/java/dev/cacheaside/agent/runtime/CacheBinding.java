package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.config.CacheRule;

/** A cache site joined to the rule version in force: everything a call needs, resolved once. */
final class CacheBinding {

    /** Marks a site whose rule is gone, turned off or unusable in this version. */
    static CacheBinding inactive(int version) {
        return new CacheBinding(version, null, null, null, null, null, null);
    }

    final int version;
    final CacheRule rule;
    final KeyRenderer key;
    final ValueShape shape;
    final RuleStats stats;
    /** The rule's in-JVM copy, or null. */
    final NearCache near;
    /** How a bulk rule reads its method, or null for a rule of single calls. */
    final BulkShape bulk;
    /** The codec of the method's class loader. */
    final JsonCodec codec;
    /** Whether hits, misses and latencies are counted ({@code metrics = true}). */
    final boolean counted;
    /** Set once a stored value read back as an equal value; until then each store is checked. */
    volatile boolean roundTripChecked;
    /** Set when values of this method do not survive JSON: the method then runs uncached until a reload. */
    volatile boolean turnedOff;

    CacheBinding(int version, CacheRule rule, KeyRenderer key, ValueShape shape, RuleStats stats, NearCache near,
                 JsonCodec codec) {
        this(version, rule, key, shape, stats, near, codec, null);
    }

    CacheBinding(int version, CacheRule rule, KeyRenderer key, ValueShape shape, RuleStats stats, NearCache near,
                 JsonCodec codec, BulkShape bulk) {
        this.codec = codec;
        this.bulk = bulk;
        this.version = version;
        this.rule = rule;
        this.key = key;
        this.shape = shape;
        this.stats = stats;
        this.near = near;
        this.counted = rule != null && rule.metrics();
    }

    boolean isActive() {
        return rule != null && !turnedOff;
    }
}
