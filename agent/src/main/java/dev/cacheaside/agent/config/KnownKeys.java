package dev.cacheaside.agent.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys agent.conf may hold, so that a misspelt key is an error with a did-you-mean hint rather than
 * a silently ignored line ({@code checkValid} lets unknown keys through). They are the keys of the agent's
 * reference.conf, where each is documented once; only a rule's own keys, which no default can hold, are
 * named here.
 */
final class KnownKeys {

    /** Parsed, not resolved: only its keys are read, and resolving would need the environment. */
    private static final ConfigObject REFERENCE = (ConfigObject) ConfigFactory.parseResources(
            KnownKeys.class.getClassLoader(), "dev/cacheaside/agent/reference.conf",
            ConfigParseOptions.defaults().setAllowMissing(false)).root().get("cache-aside");

    static final Set<String> TOP = keysOf(REFERENCE);
    static final Set<String> PROMETHEUS = keysOf(REFERENCE, "prometheus");
    static final Set<String> REDIS = keysOf(REFERENCE, "redis");
    /** {@code sentinel} has no default, so its keys cannot come from reference.conf. */
    static final Set<String> SENTINEL = set("master", "nodes");
    static final Set<String> TLS = keysOf(REFERENCE, "redis", "tls");
    static final Set<String> RULE_DEFAULTS = keysOf(REFERENCE, "defaults");
    static final Set<String> NEAR_CACHE = keysOf(REFERENCE, "defaults", "near-cache");
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
        if (value == null || value.valueType() == ConfigValueType.NULL) {
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

    private static Set<String> keysOf(ConfigObject object, String... path) {
        ConfigObject at = object;
        for (String key : path) {
            at = (ConfigObject) at.get(key);
        }
        return Collections.unmodifiableSet(new HashSet<>(at.keySet()));
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
