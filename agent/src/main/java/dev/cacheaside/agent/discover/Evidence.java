package dev.cacheaside.agent.discover;

import java.util.Map;

/** A snapshot of what was measured for one method, and the figures derived from it. */
final class Evidence {

    final WatchedMethod method;
    final long calls;
    final long totalNanos;
    final long failures;
    final long watchedNanos;
    final long p50Nanos;
    final long p99Nanos;
    final long analysed;
    final long[] repeats;
    final int distinctKeys;
    final boolean keysOverflowed;
    final long meanResultBytes;
    final long largestResultBytes;
    final int changes;
    final int changesUnexplained;
    final int changesUnknown;
    final long medianChangeIntervalNanos;
    /** Mutator probe id: how many changes it preceded. */
    final Map<Integer, Integer> suspects;
    /** Mutator probe id: the key template of its argument that equals the reader's key, when one does. */
    final Map<Integer, String> suspectKeys;
    /** Mutator probe id: how many of the changes it preceded with the reader's key as its argument. */
    final Map<Integer, Integer> keyedChanges;
    /** How many unchanged repeats had their mutators counted, and per mutator probe id how often it ran between. */
    final long quietSamples;
    final Map<Integer, Integer> quietSuspects;
    final String codecProblem;

    Evidence(WatchedMethod method, long calls, long totalNanos, long failures, long watchedNanos, long p50Nanos,
             long p99Nanos, long analysed, long[] repeats, int distinctKeys, boolean keysOverflowed,
             long meanResultBytes, long largestResultBytes, int changes, int changesUnexplained, int changesUnknown,
             long medianChangeIntervalNanos, Map<Integer, Integer> suspects, Map<Integer, String> suspectKeys,
             Map<Integer, Integer> keyedChanges, long quietSamples, Map<Integer, Integer> quietSuspects, String codecProblem) {
        this.method = method;
        this.calls = calls;
        this.totalNanos = totalNanos;
        this.failures = failures;
        this.watchedNanos = watchedNanos;
        this.p50Nanos = p50Nanos;
        this.p99Nanos = p99Nanos;
        this.analysed = analysed;
        this.repeats = repeats;
        this.distinctKeys = distinctKeys;
        this.keysOverflowed = keysOverflowed;
        this.meanResultBytes = meanResultBytes;
        this.largestResultBytes = largestResultBytes;
        this.changes = changes;
        this.changesUnexplained = changesUnexplained;
        this.changesUnknown = changesUnknown;
        this.medianChangeIntervalNanos = medianChangeIntervalNanos;
        this.suspects = suspects;
        this.suspectKeys = suspectKeys;
        this.keyedChanges = keyedChanges;
        this.quietSamples = quietSamples;
        this.quietSuspects = quietSuspects;
        this.codecProblem = codecProblem;
    }

    /**
     * The mutator's argument template ({@code {0}}, {@code {1.id}}) that named the reader's key before at
     * least 90% of the changes; null when it did not, and a key-precise eviction would miss some.
     */
    String keyTemplate(int mutator) {
        Integer keyed = keyedChanges.get(mutator);
        return keyed != null && keyed * 10 >= changes * 9 ? suspectKeys.get(mutator) : null;
    }

    /**
     * Whether a mutator explains the changes: its argument was the key whose result changed, or it ran
     * before at least half the changes and, between equal results, clearly less often (a mutator of
     * one row of many also runs between equal results of the others; a method that runs before every read
     * runs there as often as before a change).
     */
    boolean explainedBy(int mutator) {
        Integer preceded = suspects.get(mutator);
        if (preceded == null) {
            return false;
        }
        if (keyTemplate(mutator) != null) {
            return true;
        }
        double beforeChanges = (double) preceded / changes;
        Integer quiet = quietSuspects.get(mutator);
        double beforeQuiet = quietSamples == 0 || quiet == null ? 0 : (double) quiet / quietSamples;
        return beforeChanges >= 0.5 && beforeQuiet <= beforeChanges * 0.8;
    }

    double callsPerSecond() {
        return watchedNanos <= 0 ? 0 : calls * 1e9 / watchedNanos;
    }

    double meanNanos() {
        return calls == 0 ? 0 : (double) totalNanos / calls;
    }

    /** The share of analysed calls whose arguments had been seen within the window. */
    double repeatRatio(int window) {
        return analysed == 0 ? 0 : (double) repeats[window] / analysed;
    }

    /** Method time a cache with a 5-minute TTL would have saved, in nanoseconds per second. */
    double savedNanosPerSecond() {
        return callsPerSecond() * meanNanos() * repeatRatio(1);
    }
}
