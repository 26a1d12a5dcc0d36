package dev.cacheaside.bridge;

/**
 * Returned by enter when the body is to run with other arguments: a bulk read whose cached ids were
 * found runs the method for the missing ids only. The advice writes {@link #arguments()} back.
 */
public final class Rewrite {

    private final Object[] arguments;
    private final Object state;

    public Rewrite(Object[] arguments, Object state) {
        this.arguments = arguments;
        this.state = state;
    }

    public Object[] arguments() {
        return arguments;
    }

    /** What the agent needs again after the body: opaque to the advice. */
    public Object state() {
        return state;
    }
}
