package dev.cacheaside.bridge;

/** What instrumented methods call, through {@link CacheAsideBridge}. Implementations never throw. */
public interface Dispatcher {

    /**
     * Runs before a cached method's body.
     *
     * @return a {@link Hit} to skip the body, another token to pass to {@link #exitCache}, or null
     */
    Object enterCache(int siteId, Class<?> declaringType, Object[] arguments);

    /** Runs after a cached method's body (or after the skipped body on a hit); returns what the caller gets. */
    Object exitCache(int siteId, Object token, Object returned, Throwable thrown);

    /** Runs after a watched method's body, whether it returned or threw. */
    void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object returned, Throwable thrown);

    /**
     * Runs before a mutator's body.
     *
     * @return a token to pass to {@link #afterMutation(int, Object, Class, Object[], Object, Throwable)}, or null
     */
    Object enterMutation(int siteId);

    /** Runs after a mutator's body, whether it returned or threw; {@code token} is what enter returned. */
    void afterMutation(int siteId, Object token, Class<?> declaringType, Object[] arguments, Object returned,
                       Throwable thrown);
}
