package dev.cacheaside.agent.store;

import java.util.concurrent.TimeUnit;

/**
 * How long the store operation, and the application's call, running on this thread may still wait for
 * Redis. A per-read socket timeout alone lets one operation wait far longer than {@code timeout}: a new
 * connection's check before the command, or a reply that drips in a few bytes per read, each read within
 * the timeout; and a miss makes several operations. Every read waits only for what is left of its
 * operation and its call instead ({@link BudgetedSocket}). Only waiting counts: the JVM's own work (class
 * loading on a first call, a TLS handshake's cryptography) does not use up the budget, so a cold start is
 * not taken for a slow Redis.
 */
public final class WaitBudget {

    /**
     * [0]: 1 while an operation has started on this thread; [1]: the nanoseconds it may still wait;
     * [2]: 1 while a call of the application runs its Redis work here; [3]: what the call may still wait.
     */
    private static final ThreadLocal<long[]> LEFT = new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            return new long[4];
        }
    };

    /** No operation has started on this thread (the pool's own threads): reads keep the socket's timeout. */
    static final long NONE = Long.MAX_VALUE;

    private WaitBudget() {
    }

    /** An operation starts on this thread; it may wait {@code budgetNanos} in all, and no longer than its call. */
    static void start(long budgetNanos) {
        long[] left = LEFT.get();
        left[1] = left[2] != 0 ? Math.min(budgetNanos, left[3]) : budgetNanos;
        left[0] = 1;
    }

    /**
     * A call of the application starts (or resumes) its Redis work on this thread: its operations together
     * wait at most {@code budgetNanos}. Always paired with {@link #endCall} in a {@code finally}.
     */
    public static void beginCall(long budgetNanos) {
        long[] left = LEFT.get();
        left[3] = budgetNanos;
        left[2] = 1;
    }

    /** What the running call may still wait, in nanoseconds. */
    public static long callLeftNanos() {
        return LEFT.get()[3];
    }

    /** The call's Redis work ends (or pauses while the method runs): operations have only their own budget again. */
    public static void endCall() {
        LEFT.get()[2] = 0;
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
        if (left[2] != 0) {
            left[3] -= nanos;
        }
    }
}
