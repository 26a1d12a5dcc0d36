package dev.cacheaside.agent.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * The key prefixes whose changes near caches must hear of, reduced to what Redis accepts: broadcast
 * tracking refuses two prefixes of which one starts with the other, and a key under both would be
 * reported once anyway, so only the shorter is kept. An empty prefix covers every key.
 */
public final class TrackedPrefixes {

    private final List<String> prefixes;

    private TrackedPrefixes(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    public static TrackedPrefixes of(Collection<String> wanted) {
        List<String> kept = new ArrayList<>();
        for (String prefix : new TreeSet<>(wanted)) {
            // in sorted order the extensions of a prefix follow it directly
            if (kept.isEmpty() || !prefix.startsWith(kept.get(kept.size() - 1))) {
                kept.add(prefix);
            }
        }
        return new TrackedPrefixes(Collections.unmodifiableList(kept));
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** No near-cache rule: nothing to track. */
    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** {@code CLIENT TRACKING on REDIRECT id BCAST PREFIX p1 PREFIX p2 ...}; with no prefix, every key. */
    String[] trackingCommand(long redirectTo) {
        List<String> words = new ArrayList<>();
        Collections.addAll(words, "CLIENT", "TRACKING", "on", "REDIRECT", String.valueOf(redirectTo), "BCAST");
        if (!(prefixes.size() == 1 && prefixes.get(0).isEmpty())) {
            for (String prefix : prefixes) {
                words.add("PREFIX");
                words.add(prefix);
            }
        }
        return words.toArray(new String[0]);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrackedPrefixes && prefixes.equals(((TrackedPrefixes) other).prefixes);
    }

    @Override
    public int hashCode() {
        return prefixes.hashCode();
    }

    @Override
    public String toString() {
        if (prefixes.size() == 1 && prefixes.get(0).isEmpty()) {
            return "every key";
        }
        StringBuilder text = new StringBuilder();
        for (String prefix : prefixes) {
            text.append(text.length() == 0 ? "" : ", ").append('\'').append(prefix).append("*'");
        }
        return text.toString();
    }
}
