package dev.cacheaside.agent.store;

/** Redis could not do what was asked. */
public class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean unavailable;

    public StoreException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    /** Without a stack trace: thrown on every call while the circuit is open, so it must cost nothing. */
    StoreException(String message) {
        super(message, null, false, false);
        this.unavailable = true;
    }

    /**
     * True when Redis is unreachable or unusable as a whole (connection refused, timeout, wrong password),
     * false when it answered with an error about this one command.
     */
    public boolean isUnavailable() {
        return unavailable;
    }
}
