package dev.cacheaside.agent.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys agent.conf may hold, so that a misspelt key is an error with a did-you-mean hint rather than
 * a silently ignored line ({@code checkValid} lets unknown keys through).
 */
final class KnownKeys {

    static final Set<String> TOP = set("enabled", "key-prefix", "reload", "log-level", "stats-interval", "redis",
            "prometheus", "defaults", "cache", "evict");
    static final Set<String> PROMETHEUS = set("host", "port");
    static final Set<String> REDIS = set("uri", "cluster-nodes", "sentinel", "user", "password", "tls", "timeout",
            "pool-size", "retry-interval");
    static final Set<String> SENTINEL = set("master", "nodes");
    static final Set<String> TLS = set("trust-store", "trust-store-password", "key-store", "key-store-password",
            "verify-hostname");
    static final Set<String> RULE_DEFAULTS = set("ttl", "ttl-jitter", "cache-nulls", "max-value-size", "mode",
            "audit-rate", "near-cache", "lease", "lease-ttl", "lease-wait", "metrics", "refresh-ahead", "refresh-stop-after",
            "stale-if-error", "max-stale-ratio", "on-stale");
    static final Set<String> NEAR_CACHE = set("enabled", "max-entries", "ttl");
    /** result-key belongs to bulk rules, which the key template reports as unsupported. */
    static final Set<String> CACHE_RULE = union(RULE_DEFAULTS, set("method", "key", "result-key"));
    static final Set<String> EVICT_RULE = set("method", "keys", "caches", "repeat-after");

    private KnownKeys() {
    }

    /** Reports every key of {@code object} not in {@code known}; nested objects are checked by the caller. */
    static void check(ConfigObject object, String path, Set<String> known, List<ConfigProblem> problems) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String key = entry.getKey();
            if (!known.contains(key)) {
                String hint = nearest(key, known);
                problems.add(ConfigProblem.error(entry.getValue().origin(), path + "." + key,
                        "unknown key" + (hint == null ? "" : ", did you mean '" + hint + "'?")
                                + " Known keys here: " + String.join(", ", sorted(known))));
            }
        }
    }

    /** Checks a key that must hold an object, reporting it when it holds something else. */
    static ConfigObject objectAt(ConfigObject parent, String key, String path, List<ConfigProblem> problems) {
        ConfigValue value = parent.get(key);
        if (value == null) {
            return null;
        }
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(ConfigProblem.error(value.origin(), path + "." + key,
                    "must be an object { ... }, was " + value.valueType().name().toLowerCase()));
            return null;
        }
        return (ConfigObject) value;
    }

    static String nearest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> sorted(Set<String> keys) {
        String[] array = keys.toArray(new String[0]);
        Arrays.sort(array);
        return Arrays.asList(array);
    }

    private static Set<String> set(String... keys) {
        return new HashSet<>(Arrays.asList(keys));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }
}
