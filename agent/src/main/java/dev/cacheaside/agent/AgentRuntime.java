package dev.cacheaside.agent;

import dev.cacheaside.agent.cli.AgentArguments;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.agent.concurrent.Background;
import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.ConfigProblem;
import dev.cacheaside.agent.config.InvalidConfigException;
import dev.cacheaside.agent.instrument.AgentInstaller;
import dev.cacheaside.agent.instrument.WeavingPreload;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.metrics.PrometheusEndpoint;
import dev.cacheaside.agent.metrics.PrometheusText;
import dev.cacheaside.agent.metrics.AgentMetrics;
import dev.cacheaside.agent.metrics.RuleMBeans;
import dev.cacheaside.agent.config.RedisSettings;
import dev.cacheaside.agent.discover.DiscoverySession;
import dev.cacheaside.agent.runtime.CacheDispatcher;
import dev.cacheaside.agent.runtime.NearCaches;
import dev.cacheaside.agent.runtime.RuleSet;
import dev.cacheaside.agent.runtime.RuleStats;
import dev.cacheaside.agent.runtime.SiteRegistry;
import dev.cacheaside.agent.runtime.StatsRegistry;
import dev.cacheaside.agent.store.GuardedStore;
import dev.cacheaside.agent.store.InvalidationListener;
import dev.cacheaside.agent.store.JedisStore;
import dev.cacheaside.agent.store.StoreException;
import dev.cacheaside.agent.store.TrackedPrefixes;
import dev.cacheaside.bridge.CacheAsideBridge;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running agent: its settings, store, dispatcher and transformer, made once per JVM. Later
 * configs (a reload, a second attach) replace the rules in place.
 */
public final class AgentRuntime {

    private static final long RELOAD_CHECK_MILLIS = 1000;
    private static final long READY_WAIT_SECONDS = 30;
    private static AgentRuntime instance;

    private volatile Path file;
    private final ScheduledExecutorService scheduler;
    private final StatsRegistry stats = new StatsRegistry();
    private final RuleMBeans mbeans = new RuleMBeans(stats);
    private final AgentInstaller installer;
    private final AtomicInteger versions = new AtomicInteger();
    private final ConfigWatcher watcher;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile boolean failed;
    private volatile RuleMatcher matcher;
    private volatile AgentSettings settings;
    // made by start(), off the application's start-up path
    private volatile GuardedStore store;
    private volatile NearCaches nearCaches;
    private volatile CacheDispatcher dispatcher;
    private InvalidationListener invalidations;
    private volatile PrometheusEndpoint prometheus;

    /** Only what premain must do itself: the rules, and the transformer that waits for the rest. */
    private AgentRuntime(Path file, AgentSettings settings, Instrumentation instrumentation) {
        this.file = file;
        this.settings = settings;
        this.matcher = new RuleMatcher(settings);
        this.installer = new AgentInstaller(instrumentation, () -> matcher);
        this.scheduler = newScheduler();
        this.watcher = new ConfigWatcher(() -> this.settings.sourceFiles());
    }

    /**
     * The store, codec, dispatcher and Byte Buddy: everything that loads many classes. Byte Buddy,
     * Jackson and Jedis each load on a thread of their own, since loading and verifying their classes
     * is most of the time an attach takes and spare cores shorten it; an attach passes the codec it
     * started building at once.
     */
    private void startServices(boolean attached, StartPhases phases, CompletableFuture<JsonCodec> codecBuilding)
            throws StoreException {
        AgentSettings current = settings;
        SiteRegistry sites = new SiteRegistry();
        installer.prepare(sites);
        CompletableFuture<JsonCodec> building = codecBuilding != null ? codecBuilding
                : Background.run("cache-aside-codec", JsonCodec::new);
        this.store = new GuardedStore(new JedisStore(current.redis()), scheduler,
                current.redis().retryInterval().toMillis());
        phases.done("store");
        this.nearCaches = new NearCaches();
        store.addOutageListener(nearCaches::invalidateAll);
        JsonCodec codec = Background.joined(building);
        phases.done("codec");
        this.dispatcher = new CacheDispatcher(sites, stats, codec, store, scheduler,
                new RuleSet(versions.incrementAndGet(), current), nearCaches, versions::incrementAndGet);
        trackNearCaches(current);
        CacheDispatcher warming = dispatcher;
        sites.onCacheSiteLoader(loader -> scheduler.execute(() -> warming.warmUp(loader)));
        store.addRecoveryTask(dispatcher.backlog());
        store.addRecoveryTask(dispatcher.leaseReleases());
        CacheAsideBridge.install(dispatcher);
        phases.done("dispatcher");
        installer.activate(sites, attached, phases::done);
        if (attached) {
            store.checkNow();
        } else {
            store.checkInBackground();
        }
        scheduler.execute(() -> {
            mbeans.update(current);
            mbeans.registerAgent(new AgentMetrics(this::settings, () -> String.valueOf(file), this::redisAvailable,
                    sites::size, () -> StatusReport.text(this)));
        });
        if (current.prometheus().enabled()) {
            scheduler.execute(() -> prometheus = PrometheusEndpoint.start(current.prometheus(),
                    () -> PrometheusText.render(this.settings, stats, store.isAvailable())));
        }
        scheduler.scheduleWithFixedDelay(this::reloadIfChanged, RELOAD_CHECK_MILLIS, RELOAD_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        scheduleStats(current);
        ready.countDown();
    }

    /** Waits for {@link #startServices} to finish; false when it failed or has not finished within the limit. */
    private boolean awaitReady() {
        try {
            return ready.await(READY_WAIT_SECONDS, TimeUnit.SECONDS) && !failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Called by premain and agentmain, {@code entered} being when they were; never throws. Premain
     * returns once the rules are read and the transformer is registered; the rest starts on a thread
     * of its own. An attach starts everything before it returns, so that caching is on when it ends.
     */
    public static synchronized void start(String arguments, Instrumentation instrumentation, boolean attached,
                                          long entered) {
        AgentArguments parsed = AgentArguments.parse(arguments);
        startOrQuery(parsed, instrumentation, attached, entered);
        if (parsed.action() == AgentArguments.Action.START && parsed.statusFile() != null) {
            // at once: Redis counts as available until a command fails, as for --status
            StatusReport.write(instance, parsed.statusFile(), false);
        }
    }

    private static void startOrQuery(AgentArguments parsed, Instrumentation instrumentation, boolean attached,
                                     long entered) {
        StartPhases phases = new StartPhases();
        switch (parsed.action()) {
            case DISABLE:
                disable();
                return;
            case STATUS:
                StatusReport.write(instance, parsed.statusFile(), false);
                return;
            case STATS:
                StatusReport.write(instance, parsed.statusFile(), true);
                return;
            case DISCOVER:
                DiscoverySession.start(parsed.discoverOptions(), instrumentation);
                return;
            default:
                break;
        }
        Path file = ConfigLocation.resolve(parsed.configPath());
        if (instance != null) {
            if (instance.awaitReady()) {
                instance.reload(file, attached ? "config " + file + " (attach)" : "config " + file);
            }
            return;
        }
        CompletableFuture<JsonCodec> codec = null;
        if (attached) {
            // Jackson and Byte Buddy load while the config is read: most of an attach's time is their classes
            codec = Background.run("cache-aside-codec", JsonCodec::new);
            WeavingPreload.startInBackground(instrumentation);
        }
        AgentSettings settings;
        try {
            settings = AgentSettings.load(file);
        } catch (InvalidConfigException e) {
            reportInvalid(e, "the agent is disabled and the application runs without caching");
            return;
        }
        AgentLog.setLevel(settings.logLevel());
        report(settings);
        phases.done("settings");
        if (!settings.enabled()) {
            AgentLog.info("disabled by config (cache-aside.enabled = false) in " + file);
            return;
        }
        AgentRuntime runtime;
        try {
            runtime = new AgentRuntime(file, settings, instrumentation);
        } catch (RuntimeException e) {
            AgentLog.error("the agent could not start, the application runs without caching", e);
            return;
        }
        instance = runtime;
        long premainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - entered);
        if (attached) {
            runtime.finishStart(true, entered, premainMillis, phases, codec);
            return;
        }
        // premain returns now; classes the rules apply to wait for the rest when they load
        Thread starter = new Thread(() -> runtime.finishStart(false, entered, premainMillis, phases, null),
                "cache-aside-start");
        starter.setDaemon(true);
        starter.start();
    }

    private void finishStart(boolean attached, long started, long premainMillis, StartPhases phases,
                             CompletableFuture<JsonCodec> codec) {
        try {
            phases.done(attached ? "matcher" : "premain's end to this thread");
            startServices(attached, phases, codec);
        } catch (StoreException | RuntimeException | LinkageError e) {
            AgentLog.error("the agent could not start, the application runs without caching", e);
            abandon();
            return;
        }
        AgentSettings current = settings;
        AgentLog.info("started" + (attached ? " (attached)" : "") + " with " + current.cacheRules().size()
                + " cache rule(s) and " + current.evictRules().size() + " evict rule(s) from " + file
                + ", Redis at " + current.redis().describe() + ", in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms"
                + (attached ? "" : " (premain took " + premainMillis + " ms of it)"));
        AgentLog.debug("start steps: " + phases);
    }

    /** Undoes a start that failed half-way: no class stays instrumented, no thread stays running. */
    private void abandon() {
        failed = true;
        ready.countDown();
        synchronized (AgentRuntime.class) {
            if (instance == this) {
                instance = null;
            }
        }
        tearDown();
    }

    /**
     * Stops all this runtime started, whether its start finished or failed half-way: the advice is
     * unhooked, every instrumented method gets its original code back, and no thread, socket or MBean
     * of the agent stays behind.
     */
    private void tearDown() {
        CacheAsideBridge.install(null);
        mbeans.clear();
        PrometheusEndpoint endpoint = prometheus;
        if (endpoint != null) {
            endpoint.close();
        }
        synchronized (this) {
            if (invalidations != null) {
                invalidations.close();
            }
        }
        CacheDispatcher calls = dispatcher;
        if (calls != null) {
            calls.close();
        }
        scheduler.shutdownNow();
        installer.reset();
        GuardedStore current = store;
        if (current != null) {
            current.close();
        }
    }

    /**
     * Starts listening for invalidations once some rule wants a near cache, for the key prefixes of those
     * rules only; a single server only. Called before a new rule set takes effect, so that a near cache
     * never serves a key whose changes nobody tracks.
     */
    private synchronized void trackNearCaches(AgentSettings current) {
        TrackedPrefixes wanted = nearCachePrefixes(current);
        if (invalidations != null) {
            invalidations.track(wanted);
            return;
        }
        if (wanted.isEmpty()) {
            return;
        }
        RedisSettings redis = current.redis();
        if (!redis.clusterNodes().isEmpty() || redis.sentinelMaster() != null) {
            AgentLog.warn("near-cache needs a single Redis server (redis.uri); with a cluster or Sentinel the rules"
                    + " that enable it cache in Redis only");
            return;
        }
        invalidations = new InvalidationListener(redis, wanted, nearCaches);
        nearCaches.servingWhile(invalidations::isConnected);
        invalidations.start();
    }

    private static TrackedPrefixes nearCachePrefixes(AgentSettings current) {
        List<String> prefixes = new ArrayList<>();
        for (CacheRule rule : current.cacheRules().values()) {
            if (rule.nearCache() != null && rule.nearCache().enabled()) {
                prefixes.add(current.keyPrefix() + rule.key().literalPrefix());
            }
        }
        return TrackedPrefixes.of(prefixes);
    }

    /** Turns caching off and gives every instrumented method its original code back. */
    private static void disable() {
        DiscoverySession.stopRunning();
        AgentRuntime running = instance;
        if (running == null) {
            AgentLog.info("disable: the agent is not active in this JVM");
            return;
        }
        instance = null;
        running.awaitReady();
        running.tearDown();
        AgentLog.info("disabled: every instrumented method has its original code back; attach again to re-enable");
    }

    Path file() {
        return file;
    }

    AgentSettings settings() {
        return settings;
    }

    StatsRegistry stats() {
        return stats;
    }

    boolean redisAvailable() {
        GuardedStore current = store;
        return current != null && current.isAvailable();
    }

    private void reloadIfChanged() {
        try {
            if (settings.reload() && watcher.changed()) {
                reload(file, "edit of " + file);
            }
        } catch (RuntimeException e) {
            AgentLog.error("reload failed, the previous rules stay in force", e);
        }
    }

    /**
     * Applies a new config as a whole, or not at all: at start-up a faulty rule is skipped so that the
     * others apply, but a running application keeps its previous rules until an edit is free of errors.
     */
    private synchronized void reload(Path candidate, String cause) {
        AgentSettings next;
        try {
            next = AgentSettings.load(candidate);
        } catch (InvalidConfigException e) {
            reportInvalid(e, "the previous rules stay in force");
            return;
        }
        if (!next.errors().isEmpty()) {
            next.errors().forEach(problem -> AgentLog.error(problem.toString()));
            AgentLog.error(cause + " rejected with " + next.errors().size() + " error(s); the previous rules stay in"
                    + " force");
            return;
        }
        file = candidate;
        AgentLog.setLevel(next.logLevel());
        report(next);
        if (!next.redis().describe().equals(settings.redis().describe())) {
            AgentLog.warn("redis settings changed; they take effect at the next start of the application");
        }
        if (!next.prometheus().describe().equals(settings.prometheus().describe())) {
            AgentLog.warn("prometheus settings changed; they take effect at the next start of the application");
        }
        RuleMatcher before = matcher;
        RuleMatcher after = new RuleMatcher(next.enabled() ? next : next.withoutRules());
        settings = next;
        int version = versions.incrementAndGet();
        stats.resumeAll(version);
        trackNearCaches(after.settings());
        dispatcher.update(new RuleSet(version, after.settings()));
        matcher = after;
        installer.retransform(before, after);
        scheduler.execute(() -> mbeans.update(after.settings()));
        AgentLog.info("applied " + cause + ": " + after.settings().cacheRules().size() + " cache rule(s), "
                + after.settings().evictRules().size() + " evict rule(s)" + (next.enabled() ? "" : " (disabled)"));
    }

    private void scheduleStats(AgentSettings settings) {
        long interval = settings.statsInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        scheduler.scheduleAtFixedRate(() -> {
            AgentSettings current = this.settings;
            for (Map.Entry<String, RuleStats> rule : stats.all().entrySet()) {
                boolean evict = current.evictRules().containsKey(rule.getKey());
                CacheRule cache = current.cacheRules().get(rule.getKey());
                AgentLog.info("stats rule '" + rule.getKey() + "': "
                        + (evict ? rule.getValue().evictSummary() : rule.getValue().summary())
                        + (cache != null && !cache.metrics() ? " (metrics = false: hits and latencies not counted)"
                        : ""));
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    private static void report(AgentSettings settings) {
        for (ConfigProblem problem : settings.problems()) {
            if (problem.isWarning()) {
                AgentLog.warn(problem.toString());
            } else {
                AgentLog.error(problem.toString());
            }
        }
        for (String rule : settings.skippedRules()) {
            AgentLog.error("rule " + rule + " is skipped because of the error(s) above; the other rules apply");
        }
    }

    private static void reportInvalid(InvalidConfigException e, String consequence) {
        AgentLog.error(e.getMessage() + "; " + consequence);
        for (ConfigProblem problem : e.problems()) {
            AgentLog.error(problem.toString());
        }
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cache-aside");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
