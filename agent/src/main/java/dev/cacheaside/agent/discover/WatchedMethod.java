package dev.cacheaside.agent.discover;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What discovery learns about one method. Every call is counted and timed; a sample of the calls (at
 * most one per {@link #SAMPLE_GAP_NANOS}, fewer where analysing costs more) is analysed: how soon the
 * same arguments recur, how large the result is and whether it differs from the last result for those
 * arguments. Memory is bounded: at
 * most {@link #MAX_KEYS} argument tuples, {@link #RESERVOIR} durations, {@link #MAX_INTERVALS} change
 * intervals.
 */
final class WatchedMethod {

    static final long[] WINDOWS_NANOS = {TimeUnit.MINUTES.toNanos(1), TimeUnit.MINUTES.toNanos(5),
            TimeUnit.MINUTES.toNanos(30)};
    static final String[] WINDOW_NAMES = {"1m", "5m", "30m"};
    static final int MAX_KEYS = 4096;
    private static final int RESERVOIR = 1024;
    private static final int MAX_INTERVALS = 256;
    private static final long SAMPLE_GAP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long MAX_SAMPLE_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Analysing a sample may take about 1/100 of the time until the next one: 1% of a busy method's time. */
    private static final long ANALYSIS_SHARE = 100;
    // one unchanged repeat in this many has its mutator calls counted, if there are at most QUIET_LIMIT
    private static final int QUIET_SAMPLING = 4;
    private static final int QUIET_LIMIT = 512;

    /** The last result seen for one argument tuple. */
    private static final class Seen {
        long lastCall;
        long resultHash;
        long resultSince;
        long mutationsUpTo;
        String firstArgument;
    }

    final int id;
    final String typeName;
    final String methodName;
    final List<String> parameterTypes;
    final boolean cacheable;
    final boolean mutatorLike;
    final ClassLoader loader;

    final LongAdder calls = new LongAdder();
    final LongAdder totalNanos = new LongAdder();
    final LongAdder failures = new LongAdder();

    // guarded by this
    private long lastSample;
    private long sampleGapNanos = SAMPLE_GAP_NANOS;
    private final long[] durations = new long[RESERVOIR];
    private long durationsSeen;
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();
    private boolean keysOverflowed;
    private long analysed;
    private final long[] repeats = new long[WINDOWS_NANOS.length];
    private long resultBytes;
    private long resultSamples;
    private long largestResult;
    private int changes;
    private int changesUnexplained;
    private int changesUnknown;
    private final List<Long> changeIntervals = new ArrayList<>();
    private final Map<Integer, Integer> suspects = new HashMap<>();
    private final Map<Integer, String> suspectKeys = new HashMap<>();
    // how many changes each mutator preceded with the reader's key as its argument: a number that equals
    // the key by chance (a product id that is also a category id) does so only now and then
    private final Map<Integer, Integer> keyedChanges = new HashMap<>();
    // the mutators that ran between two equal results: a method that runs before every read, changed or
    // not, explains nothing
    private long quietSamples;
    private final Map<Integer, Integer> quietSuspects = new HashMap<>();
    private String codecProblem;

    WatchedMethod(int id, String typeName, String methodName, List<String> parameterTypes, boolean cacheable,
                  boolean mutatorLike, ClassLoader loader) {
        this.id = id;
        this.typeName = typeName;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.cacheable = cacheable;
        this.mutatorLike = mutatorLike;
        this.loader = loader;
    }

    /** {@code Type#name(T1, T2)} in the form rules name methods. */
    String spec() {
        return typeName + "#" + methodName + "(" + String.join(", ", parameterTypes) + ")";
    }

    /** {@code SimpleType#name(T1, T2)} with simple parameter names, for comments. */
    String shortSpec() {
        List<String> simple = new ArrayList<>();
        for (String parameter : parameterTypes) {
            simple.add(parameter.substring(parameter.lastIndexOf('.') + 1));
        }
        return typeName.substring(typeName.lastIndexOf('.') + 1) + "#" + methodName + "(" + String.join(", ", simple)
                + ")";
    }

    /** Counts and times a call; true when this call is to be analysed as well. */
    boolean count(long now, long elapsed) {
        calls.increment();
        totalNanos.add(elapsed);
        synchronized (this) {
            if (now - lastSample < sampleGapNanos && lastSample != 0) {
                return false;
            }
            lastSample = now;
            durations[(int) (durationsSeen++ % RESERVOIR)] = elapsed;
            return true;
        }
    }

    /**
     * The last analysis took this long: the gap until the next sample widens (or narrows) so that writing
     * and comparing results stays near 1% of the method's own time, however costly its results are.
     */
    synchronized void analysisTook(long nanos) {
        long wanted = Math.min(MAX_SAMPLE_GAP_NANOS, Math.max(SAMPLE_GAP_NANOS, nanos * ANALYSIS_SHARE));
        sampleGapNanos = (sampleGapNanos * 3 + wanted) / 4;
    }

    /** One analysed call with its result; {@code log} gives the mutator calls since the last result. */
    synchronized void analyse(long now, String key, String[] comparableArguments, long resultHash, int resultSize,
                              MutationLog log) {
        analysed++;
        resultBytes += resultSize;
        resultSamples++;
        largestResult = Math.max(largestResult, resultSize);
        long mutationsNow = log.last();
        Seen entry = seen.get(key);
        if (entry == null) {
            if (seen.size() >= MAX_KEYS) {
                keysOverflowed = true;
                return;
            }
            entry = new Seen();
            entry.resultHash = resultHash;
            entry.resultSince = now;
            entry.firstArgument = comparableArguments.length == 1 ? comparableArguments[0] : null;
            seen.put(key, entry);
        } else {
            long gap = now - entry.lastCall;
            for (int i = 0; i < WINDOWS_NANOS.length; i++) {
                if (gap <= WINDOWS_NANOS[i]) {
                    repeats[i]++;
                }
            }
            if (entry.resultHash != resultHash) {
                changed(now, entry, log.between(entry.mutationsUpTo, mutationsNow));
                entry.resultHash = resultHash;
                entry.resultSince = now;
            } else if (repeats[repeats.length - 1] % QUIET_SAMPLING == 0) {
                quiet(log.between(entry.mutationsUpTo, mutationsNow, QUIET_LIMIT));
            }
        }
        entry.lastCall = now;
        entry.mutationsUpTo = mutationsNow;
    }

    private void changed(long now, Seen entry, List<MutationLog.Mutation> between) {
        changes++;
        if (changeIntervals.size() < MAX_INTERVALS) {
            changeIntervals.add(now - entry.resultSince);
        }
        if (between == null) {
            changesUnknown++;
            return;
        }
        boolean any = false;
        Map<Integer, String> keyed = new HashMap<>();
        for (MutationLog.Mutation mutation : between) {
            if (mutation.probeId == id) {
                continue;
            }
            any = true;
            keyed.putIfAbsent(mutation.probeId, null);
            if (entry.firstArgument != null) {
                for (int i = 0; i < mutation.arguments.length; i++) {
                    String argument = mutation.arguments[i];
                    if (entry.firstArgument.equals(argument)) {
                        keyed.put(mutation.probeId, "{" + i + "}");
                    } else if (("id=" + entry.firstArgument).equals(argument)) {
                        keyed.put(mutation.probeId, "{" + i + ".id}");
                    }
                }
            }
        }
        if (!any) {
            changesUnexplained++;
        }
        for (Map.Entry<Integer, String> suspect : keyed.entrySet()) {
            suspects.merge(suspect.getKey(), 1, Integer::sum);
            if (suspect.getValue() != null) {
                suspectKeys.put(suspect.getKey(), suspect.getValue());
                keyedChanges.merge(suspect.getKey(), 1, Integer::sum);
            }
        }
    }

    private void quiet(List<MutationLog.Mutation> between) {
        if (between == null) {
            return;
        }
        quietSamples++;
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (MutationLog.Mutation mutation : between) {
            if (mutation.probeId != id && present.add(mutation.probeId)) {
                quietSuspects.merge(mutation.probeId, 1, Integer::sum);
            }
        }
    }

    synchronized void codecProblem(String problem) {
        if (codecProblem == null) {
            codecProblem = problem;
        }
    }

    /** A consistent copy of what is known so far. */
    synchronized Evidence evidence(long watchedNanos) {
        long[] sample = Arrays.copyOf(durations, (int) Math.min(durationsSeen, RESERVOIR));
        Arrays.sort(sample);
        List<Long> intervals = new ArrayList<>(changeIntervals);
        intervals.sort(null);
        return new Evidence(this, calls.sum(), totalNanos.sum(), failures.sum(), watchedNanos,
                percentile(sample, 0.5), percentile(sample, 0.99), analysed, repeats.clone(), seen.size(),
                keysOverflowed, resultSamples == 0 ? 0 : resultBytes / resultSamples, largestResult, changes,
                changesUnexplained, changesUnknown, intervals.isEmpty() ? 0 : intervals.get(intervals.size() / 2),
                new HashMap<>(suspects), new HashMap<>(suspectKeys), new HashMap<>(keyedChanges), quietSamples, new HashMap<>(quietSuspects),
                codecProblem);
    }

    private static long percentile(long[] sorted, double fraction) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
    }
}
