package dev.cacheaside.bridge;

/** What instrumented methods call, through {@link CacheAsideBridge}. Implementations never throw. */
public interface Dispatcher {

    /**
     * Runs before a cached method's body.
     *
     * @param self the instance whose method runs, null for a static method
     * @return a {@link Hit} to skip the body, another token to pass to {@link #exitCache}, or null
     */
    Object enterCache(int siteId, Class<?> declaringType, Object self, Object[] arguments);

    /**
     * Runs after a cached method's body (or after the skipped body on a hit); returns what the caller gets.
     * After the body threw, a {@link Hit} returns its value instead of the exception; anything else lets
     * the exception through.
     */
    Object exitCache(int siteId, Object token, Object returned, Throwable thrown);

    /**
     * Runs before a mutator's body: renders the evict keys built from arguments, before the body can
     * change them.
     *
     * @return a token to pass to {@link #afterMutation}, or null
     */
    Object beforeMutation(int siteId, Class<?> declaringType, Object[] arguments);

    /** Runs after a mutator's body, whether it returned or threw; {@code entered} is what {@link #beforeMutation} returned. */
    void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object entered, Object returned,
                       Throwable thrown);
}
