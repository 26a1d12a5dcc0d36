package dev.cacheaside.bridge;

/**
 * Static entry points for advice. Each catches everything, so that no failure of the agent can reach
 * the application, and falls back to the method's own behaviour.
 */
public final class CacheAsideBridge {

    private static volatile Dispatcher dispatcher;

    private CacheAsideBridge() {
    }

    /** Installs the agent's dispatcher; null turns every instrumented method back into a pass-through. */
    public static void install(Dispatcher installed) {
        dispatcher = installed;
    }

    public static Object enterCache(int siteId, Class<?> declaringType, Object self, Object[] arguments) {
        Dispatcher current = dispatcher;
        if (current == null) {
            return null;
        }
        try {
            return current.enterCache(siteId, declaringType, self, arguments);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static Object exitCache(int siteId, Object token, Object returned, Throwable thrown) {
        if (token == null) {
            return returned;
        }
        Dispatcher current = dispatcher;
        try {
            if (current != null) {
                return current.exitCache(siteId, token, returned, thrown);
            }
        } catch (Throwable ignored) {
            // fall through: the hit's value or the method's own result
        }
        return token instanceof Hit ? ((Hit) token).value() : returned;
    }

    public static Object beforeMutation(int siteId, Class<?> declaringType, Object[] arguments) {
        Dispatcher current = dispatcher;
        if (current == null) {
            return null;
        }
        try {
            return current.beforeMutation(siteId, declaringType, arguments);
        } catch (Throwable ignored) {
            return null;
        }
    }

    public static void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object entered,
                                     Object returned, Throwable thrown) {
        Dispatcher current = dispatcher;
        if (current == null) {
            return;
        }
        try {
            current.afterMutation(siteId, declaringType, arguments, entered, returned, thrown);
        } catch (Throwable ignored) {
            // the mutator's own outcome reaches the caller unchanged
        }
    }
}
