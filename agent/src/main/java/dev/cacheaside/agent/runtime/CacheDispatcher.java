package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.bridge.Dispatcher;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;

/**
 * What the bridge calls: cached methods go to {@link CachedCalls}, mutators to {@link Evictions}. Holds
 * the rules in force; every failure inside makes the call run as if the agent were absent.
 */
public final class CacheDispatcher implements Dispatcher {

    private final CachedCalls cachedCalls;
    private final Codecs codecs;
    private final Evictions evictions;
    private final IntSupplier versions;
    private volatile RuleSet rules;

    /** @param versions numbers the rule sets this dispatcher makes itself, from the same sequence as reloads */
    public CacheDispatcher(SiteRegistry sites, StatsRegistry stats, JsonCodec codec, CacheStore store,
                           ScheduledExecutorService scheduler, RuleSet rules, NearCaches nearCaches,
                           IntSupplier versions) {
        this.rules = rules;
        this.versions = versions;
        this.codecs = new Codecs(codec);
        this.evictions = new Evictions(sites, stats, codecs, store, scheduler, this::rules, nearCaches);
        StaleAudits staleAudits = new StaleAudits(this::rules, this::shadow);
        this.cachedCalls = new CachedCalls(sites, stats, codecs, store, this::rules, nearCaches,
                evictions.backlog()::blocks, scheduler, staleAudits);
    }

    /** The task that carries out missed evictions when Redis is back; register it with the store. */
    public dev.cacheaside.agent.store.GuardedStore.RecoveryTask backlog() {
        return evictions.backlog();
    }

    /** The task that releases lease markers whose fills ended while Redis was unreachable; register it after {@link #backlog()}. */
    /**
     * Prepares, on the caller's (the agent's) thread, the JSON codec the cached methods of {@code loader}'s
     * classes will use, so that their first call does not build it.
     */
    public void warmUp(ClassLoader loader) {
        codecs.warmUp(loader);
    }

    public dev.cacheaside.agent.store.GuardedStore.RecoveryTask leaseReleases() {
        return cachedCalls.leaseReleases();
    }

    /** Applies new rules: each site rebinds on its next call, without any retransformation. */
    public synchronized void update(RuleSet newRules) {
        this.rules = newRules;
    }

    /**
     * Puts a cache rule in shadow mode, if the rules in force are still those of {@code basedOnVersion}: a
     * reload since then has the last word.
     */
    private synchronized boolean shadow(String rule, int basedOnVersion) {
        RuleSet next = rules.withShadow(rule, basedOnVersion, versions);
        if (next == null) {
            return false;
        }
        rules = next;
        return true;
    }

    /** Stops the thread of the repeated evictions; the dispatcher serves no call after this. */
    public void close() {
        evictions.close();
    }

    public RuleSet rules() {
        return rules;
    }

    @Override
    public Object enterCache(int siteId, Class<?> declaringType, Object self, Object[] arguments) {
        return cachedCalls.enter(siteId, declaringType, self, arguments);
    }

    @Override
    public Object exitCache(int siteId, Object token, Object returned, Throwable thrown) {
        return cachedCalls.exit(token, returned, thrown);
    }

    @Override
    public Object beforeMutation(int siteId, Class<?> declaringType, Object[] arguments) {
        return evictions.beforeMutation(siteId, declaringType, arguments);
    }

    @Override
    public void afterMutation(int siteId, Class<?> declaringType, Object[] arguments, Object entered,
                              Object returned, Throwable thrown) {
        evictions.afterMutation(siteId, declaringType, arguments, entered, returned, thrown);
    }
}
