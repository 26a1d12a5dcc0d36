package dev.cacheaside.agent.discover;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last calls of the possible mutators, numbered, in a ring of fixed size: when a reader's result
 * changes, the calls between its two results are the suspects. Bounded memory; a window longer than
 * the ring reports itself as incomplete.
 */
final class MutationLog {

    static final class Mutation {
        final long sequence;
        final int probeId;
        final String[] arguments;

        Mutation(long sequence, int probeId, String[] arguments) {
            this.sequence = sequence;
            this.probeId = probeId;
            this.arguments = arguments;
        }
    }

    private static final int CAPACITY = 1 << 13;

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicReferenceArray<Mutation> ring = new AtomicReferenceArray<>(CAPACITY);

    void add(int probeId, String[] arguments) {
        long number = sequence.incrementAndGet();
        ring.set((int) (number & (CAPACITY - 1)), new Mutation(number, probeId, arguments));
    }

    /** The number of the last call recorded. */
    long last() {
        return sequence.get();
    }

    /** The calls numbered after {@code after} up to {@code upTo}; null when the ring no longer holds them all. */
    List<Mutation> between(long after, long upTo) {
        return between(after, upTo, CAPACITY / 2);
    }

    /** As {@link #between(long, long)}, null as well when there are more than {@code limit} calls. */
    List<Mutation> between(long after, long upTo, int limit) {
        if (upTo - after > limit) {
            return null;
        }
        List<Mutation> found = new ArrayList<>();
        for (long number = after + 1; number <= upTo; number++) {
            Mutation mutation = ring.get((int) (number & (CAPACITY - 1)));
            if (mutation == null || mutation.sequence != number) {
                return null;
            }
            found.add(mutation);
        }
        return found;
    }
}
