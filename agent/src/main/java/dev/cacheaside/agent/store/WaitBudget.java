package dev.cacheaside.agent.store;

import java.util.concurrent.TimeUnit;

/**
 * How long the store operation running on this thread may still wait for Redis. A per-read socket
 * timeout alone lets one operation wait far longer than {@code timeout}: a new connection's check before
 * the command, or a reply that drips in a few bytes per read, each read within the timeout. Every read
 * of the operation waits only for what is left instead ({@link BudgetedSocket}). Only waiting counts:
 * the JVM's own work (class loading on a first call, a TLS handshake's cryptography) does not use up
 * the budget, so a cold start is not taken for a slow Redis.
 */
final class WaitBudget {

    /** [0]: 1 while an operation has started on this thread; [1]: the nanoseconds it may still wait. */
    private static final ThreadLocal<long[]> LEFT = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    };

    /** No operation has started on this thread (the pool's own threads): reads keep the socket's timeout. */
    static final long NONE = Long.MAX_VALUE;

    private WaitBudget() {
    }

    /** An operation starts on this thread; it may wait {@code budgetNanos} in all. */
    static void start(long budgetNanos) {
        long[] left = LEFT.get();
        left[1] = budgetNanos;
        left[0] = 1;
    }

    /** Milliseconds this thread's operation may still wait, rounded up; 0 once used up; {@link #NONE}. */
    static long millisLeft() {
        long[] left = LEFT.get();
        if (left[0] == 0) {
            return NONE;
        }
        return left[1] <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(left[1] + 999_999);
    }

    /** The operation waited this long for a read. */
    static void spent(long nanos) {
        long[] left = LEFT.get();
        if (left[0] != 0) {
            left[1] -= nanos;
        }
    }
}
