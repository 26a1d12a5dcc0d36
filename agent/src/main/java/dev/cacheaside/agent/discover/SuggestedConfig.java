package dev.cacheaside.agent.discover;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Turns the evidence into an {@code agent.conf}: cache rules ranked by the method time they would save
 * per second, each with its evidence in a comment; evict rules for the methods whose calls preceded
 * the changes of a cached result; and, as comments, the methods left out and why.
 */
final class SuggestedConfig {

    private static final int MIN_ANALYSED = 5;
    private static final double MIN_REPEAT_RATIO = 0.2;
    private static final long MAX_RESULT_BYTES = 512 * 1024;
    private static final long DEFAULT_TTL_SECONDS = 600;
    private static final long MIN_TTL_SECONDS = 30;

    private final String header;
    private final List<Evidence> evidence;
    private final Map<Integer, Evidence> byId = new LinkedHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Map<Integer, String> ruleNames = new LinkedHashMap<>();

    SuggestedConfig(String header, List<Evidence> evidence) {
        this.header = header;
        this.evidence = evidence;
        for (Evidence each : evidence) {
            byId.put(each.method.id, each);
        }
    }

    String render() {
        List<Evidence> proposed = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (Evidence each : evidence) {
            if (each.calls == 0 || !each.method.cacheable) {
                continue;
            }
            String reason = reasonAgainst(each);
            if (reason == null) {
                proposed.add(each);
            } else {
                leftOut.add(each.method.spec() + ": " + reason + " (" + figures(each) + ")");
            }
        }
        proposed.sort(Comparator.comparingDouble(Evidence::savedNanosPerSecond).reversed());

        StringBuilder cache = new StringBuilder();
        Map<Integer, EvictPlan> evictions = new LinkedHashMap<>();
        for (Evidence each : proposed) {
            String name = ruleName(each.method);
            String key = keyTemplate(each.method, name);
            cache.append("    # ").append(figures(each)).append(changeNote(each)).append('\n');
            cache.append("    ").append(name).append(" { method = \"").append(each.method.spec()).append("\", key = \"")
                    .append(key).append("\", ttl = ").append(ttl(each)).append(" }\n");
            for (Integer mutator : mutatorsOf(each)) {
                EvictPlan plan = evictions.computeIfAbsent(mutator, id -> new EvictPlan());
                String argument = each.keyTemplate(mutator);
                if (argument != null && each.method.parameterTypes.size() == 1) {
                    plan.keys.add(name + ":" + argument);
                } else {
                    plan.caches.add(name);
                }
                plan.evidence.add("preceded " + each.suspects.get(mutator) + " of " + each.changes
                        + " changes of " + name);
            }
        }
        StringBuilder evict = new StringBuilder();
        for (Map.Entry<Integer, EvictPlan> entry : evictions.entrySet()) {
            Evidence mutator = byId.get(entry.getKey());
            EvictPlan plan = entry.getValue();
            evict.append("    # ").append(mutator.method.shortSpec()).append(": ")
                    .append(String.join("; ", plan.evidence)).append('\n');
            evict.append("    ").append(ruleName(mutator.method)).append(" { method = \"").append(mutator.method.spec())
                    .append('"');
            if (!plan.keys.isEmpty()) {
                evict.append(", keys = ").append(quotedList(plan.keys));
            }
            if (!plan.caches.isEmpty()) {
                evict.append(", caches = ").append(quotedList(plan.caches));
            }
            evict.append(" }\n");
        }

        StringBuilder text = new StringBuilder(header);
        text.append("# Cache rules are ranked by the method time they would have saved per second; each comment\n")
                .append("# gives the evidence. Review them before use: a rule is only as safe as the traffic seen.\n")
                .append("cache-aside {\n")
                .append("  # redis.uri = \"redis://127.0.0.1:6379\"\n")
                .append("  cache {\n").append(cache).append("  }\n")
                .append("  evict {\n").append(evict).append("  }\n")
                .append("}\n");
        if (!leftOut.isEmpty()) {
            text.append("\n# Not proposed:\n");
            for (String line : leftOut) {
                text.append("#   ").append(line).append('\n');
            }
        }
        return text.toString();
    }

    /** Why a method should not be cached, or null when nothing speaks against it. */
    private static String reasonAgainst(Evidence each) {
        if (each.method.mutatorLike) {
            return "its name says it changes data";
        }
        if (each.codecProblem != null) {
            return each.codecProblem;
        }
        if (each.analysed < MIN_ANALYSED) {
            return "too few calls seen (" + each.calls + ")";
        }
        if (each.meanResultBytes > MAX_RESULT_BYTES) {
            return "result too large (" + bytes(each.meanResultBytes) + " on average)";
        }
        if (each.changesUnexplained > 0) {
            return "result changed " + each.changesUnexplained + " time(s) with no other application method in"
                    + " between: it depends on time or on state no argument names";
        }
        if (each.changes > 0 && mutatorsOf(each).isEmpty()) {
            return "result changed " + each.changes + " time(s), and no watched method ran before the changes"
                    + " clearly more often than between equal results";
        }
        if (each.repeatRatio(2) < MIN_REPEAT_RATIO) {
            return "rarely repeated: " + percent(each.repeatRatio(2)) + " of calls repeat their arguments within 30m";
        }
        return null;
    }

    /** The mutators that explain the changes ({@link Evidence#explainedBy}), those before most changes first. */
    private static List<Integer> mutatorsOf(Evidence each) {
        List<Integer> found = new ArrayList<>();
        for (Integer suspect : each.suspects.keySet()) {
            if (each.explainedBy(suspect)) {
                found.add(suspect);
            }
        }
        found.sort(Comparator.comparing(id -> -each.suspects.get(id)));
        return found;
    }

    private String changeNote(Evidence each) {
        if (each.changes == 0) {
            return ", never changed";
        }
        List<String> after = new ArrayList<>();
        for (Integer mutator : mutatorsOf(each)) {
            int count = each.suspects.get(mutator);
            after.add((count == each.changes ? "each after " : "after ") + byId.get(mutator).method.shortSpec()
                    + (count == each.changes ? "" : " (" + count + " of them)"));
        }
        return ", changed " + each.changes + " time(s), " + String.join(", ", after);
    }

    static String figures(Evidence each) {
        return String.format(Locale.ROOT, "%s calls/s, p50 %s, p99 %s, %s repeats within 5m (1m %s, 30m %s), %s%d"
                        + " distinct arguments, result %s",
                rate(each.callsPerSecond()), duration(each.p50Nanos), duration(each.p99Nanos),
                percent(each.repeatRatio(1)), percent(each.repeatRatio(0)), percent(each.repeatRatio(2)),
                each.keysOverflowed ? ">=" : "", each.distinctKeys, bytes(each.meanResultBytes));
    }

    private static String ttl(Evidence each) {
        long seconds = each.changes == 0 ? DEFAULT_TTL_SECONDS
                : Math.max(MIN_TTL_SECONDS, Math.min(DEFAULT_TTL_SECONDS,
                TimeUnit.NANOSECONDS.toSeconds(each.medianChangeIntervalNanos)));
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** {@code name:{0}} for one plain argument, the name alone for none, {@code name:{args}} otherwise. */
    private static String keyTemplate(WatchedMethod method, String name) {
        if (method.parameterTypes.isEmpty()) {
            return name;
        }
        if (method.parameterTypes.size() == 1 && isPlainName(method.parameterTypes.get(0))) {
            return name + ":{0}";
        }
        return name + ":{args}";
    }

    private static boolean isPlainName(String type) {
        return type.matches("long|int|short|byte|char|boolean|java\\.lang\\.(String|Long|Integer|Short|Byte|Character"
                + "|Boolean)|java\\.util\\.UUID");
    }

    /** {@code user-repository-find-by-id}, unique within the file. */
    private String ruleName(WatchedMethod method) {
        String known = ruleNames.get(method.id);
        if (known != null) {
            return known;
        }
        String simpleType = method.typeName.substring(method.typeName.lastIndexOf('.') + 1).replace('$', '-');
        String base = kebab(simpleType) + "-" + kebab(method.methodName);
        String name = base;
        for (int i = 2; !names.add(name); i++) {
            name = base + "-" + i;
        }
        ruleNames.put(method.id, name);
        return name;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }

    private static String quotedList(Set<String> values) {
        List<String> quoted = new ArrayList<>();
        for (String value : values) {
            quoted.add("\"" + value + "\"");
        }
        return "[" + String.join(", ", quoted) + "]";
    }

    static String rate(double perSecond) {
        return perSecond >= 10 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%d us", nanos / 1000);
        }
        return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.1f ms" : "%.0f ms", nanos / 1e6);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    static String bytes(long count) {
        return count < 1024 ? count + " B" : String.format(Locale.ROOT, "%.1f KB", count / 1024.0);
    }

    private static final class EvictPlan {
        final Set<String> keys = new java.util.LinkedHashSet<>();
        final Set<String> caches = new java.util.LinkedHashSet<>();
        final List<String> evidence = new ArrayList<>();
    }
}
