package dev.cacheaside.agent.store;

/** Redis could not do what was asked. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unavailable;
    private final boolean backPressure;

    public StoreException(String message, Throwable cause, boolean unavailable) {
        this(message, cause, unavailable, false);
    }

    private StoreException(String message, Throwable cause, boolean unavailable, boolean backPressure) {
        super(message, cause);
        this.unavailable = unavailable;
        this.backPressure = backPressure;
    }

    /**
     * Redis is fine but the agent could not reach it in the call's time: every pooled connection was in
     * use, or the client is still being made. The call runs uncached; this says nothing of Redis's health.
     */
    static StoreException backPressure(String message, Throwable cause) {
        return new StoreException(message, cause, false, true);
    }

    /** Without a stack trace: thrown on every call while the circuit is open, so it must cost nothing. */
    StoreException(String message) {
        super(message, null, false, false);
        this.unavailable = true;
        this.backPressure = false;
    }

    /**
     * True when Redis is unreachable or unusable as a whole (connection refused, timeout, wrong password),
     * false when it answered with an error about this one command.
     */
    public boolean isUnavailable() {
        return unavailable;
    }

    /** True when the call found no free connection in its time (see {@link #backPressure}); never also unavailable. */
    public boolean isBackPressure() {
        return backPressure;
    }
}
