package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Refresh-ahead: a hit near the end of its entry's TTL has the method run again in the background, once
 * across all JVMs, and the entry replaced only while it still holds the value that was read, so a refresh
 * racing an eviction (or a newer fill) is discarded.
 */
final class Refresher {

    /** Refresh locks live beside the entries, under a prefix no rule's key pattern matches. */
    static final String LOCK_PREFIX = "cache-aside-refresh:";
    private static final int THREADS = 2;
    private static final int QUEUE = 256;
    private static final ThreadLocal<Refresh> CURRENT = new ThreadLocal<Refresh>();

    /** The refresh a background thread runs: the key, and the value it may replace. */
    static final class Refresh {
        final String key;
        final byte[] expected;

        Refresh(String key, byte[] expected) {
            this.key = key;
            this.expected = expected;
        }
    }

    private final CacheStore store;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final byte[] owner = ("refresh:" + Long.toHexString(ThreadLocalRandom.current().nextLong()))
            .getBytes(StandardCharsets.US_ASCII);
    private final ThreadPoolExecutor executor;

    Refresher(CacheStore store) {
        this.store = store;
        this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>(QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "cache-aside-refresh");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** The refresh this thread runs for the key, or null: the call then runs its body and replaces the entry. */
    static Refresh current(String key) {
        Refresh refresh = CURRENT.get();
        return refresh != null && refresh.key.equals(key) ? refresh : null;
    }

    /**
     * Starts a refresh of the entry unless one runs in this JVM or the queue is full (a later hit tries
     * again). The lock lasts until the old entry would have expired, so no other JVM refreshes it twice.
     */
    void start(CacheBinding binding, String key, byte[] expected, long lockMillis, Method method, Object self,
               Object[] arguments) {
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        if ((self == null && !isStatic) || lockMillis <= 0 || !running.add(key)) {
            return;
        }
        Object[] copy = arguments.clone();
        try {
            executor.execute(() -> run(binding, key, expected, lockMillis, method, isStatic ? null : self, copy));
        } catch (RejectedExecutionException e) {
            running.remove(key);
        }
    }

    private void run(CacheBinding binding, String key, byte[] expected, long lockMillis, Method method, Object self,
                     Object[] arguments) {
        String rule = binding.rule.name();
        try {
            if (!store.setIfAbsent(LOCK_PREFIX + key, owner, lockMillis)) {
                return; // another JVM refreshes it
            }
            CURRENT.set(new Refresh(key, expected));
            try {
                invocable(method).invoke(self, arguments);
            } catch (InvocationTargetException e) {
                binding.stats.refreshFailures.increment();
                AgentLog.warnLimited("refresh:" + rule, () -> "rule '" + rule + "': refreshing '" + key
                        + "' in the background failed, the method threw " + e.getCause()
                        + "; the entry is served until its TTL ends");
            } catch (ReflectiveOperationException | RuntimeException e) {
                binding.stats.refreshFailures.increment();
                AgentLog.warnLimited("refresh:" + rule, () -> "rule '" + rule + "': cannot run " + method
                        + " in the background to refresh '" + key + "': " + e + "; entries of this rule expire"
                        + " at the end of their TTL instead");
            } finally {
                CURRENT.remove();
            }
        } catch (StoreException e) {
            // not refreshed: the entry ends with its TTL, and the next miss fills it
        } finally {
            running.remove(key);
        }
    }

    /**
     * The method to call reflectively. A JDK proxy's class sits in a package that is not exported on
     * Java 16+, so its method is called through the interface that declares it, which reaches the proxy.
     */
    private static Method invocable(Method method) throws NoSuchMethodException {
        Class<?> type = method.getDeclaringClass();
        if (Proxy.isProxyClass(type)) {
            for (Class<?> contract : type.getInterfaces()) {
                try {
                    return contract.getMethod(method.getName(), method.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    // declared by another of its interfaces
                }
            }
            throw new NoSuchMethodException(method.toString());
        }
        if (!Modifier.isPublic(method.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
            method.setAccessible(true);
        }
        return method;
    }
}
