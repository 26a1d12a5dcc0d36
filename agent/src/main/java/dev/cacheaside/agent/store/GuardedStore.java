package dev.cacheaside.agent.store;

import dev.cacheaside.agent.log.AgentLog;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A circuit breaker around a {@link CacheStore}. The first failure that says Redis is unavailable opens
 * the circuit: from then on every call fails at once, without touching the network, so a down or frozen
 * Redis adds no latency. A background probe pings Redis at the retry interval; when it answers, the
 * recovery tasks run (eviction backlog first) and only then does the circuit close.
 */
public final class GuardedStore implements CacheStore {

    /** Work that must be done on a recovered Redis before the cache serves again. */
    public interface RecoveryTask {
        void beforeResume(CacheStore direct) throws StoreException;

        /**
         * Calls {@code resume} (which closes the circuit) only while no work is pending, atomically with
         * respect to work added meanwhile; false when work is pending and {@link #beforeResume} must run again.
         */
        default boolean resumeIfDone(BooleanSupplier resume) {
            return resume.getAsBoolean();
        }
    }

    /** How often the probe replays work that arrived during its own replay before it tries again later. */
    private static final int MAX_RECOVERY_ROUNDS = 16;

    private static final StoreException OPEN = new StoreException("Redis is unavailable; the call runs uncached");

    private final CacheStore delegate;
    private final ScheduledExecutorService scheduler;
    private final long retryMillis;
    private final List<RecoveryTask> recoveryTasks = new CopyOnWriteArrayList<>();
    private final List<Runnable> outageListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean probeScheduled = new AtomicBoolean();
    private volatile boolean open;
    private volatile boolean closed;

    public GuardedStore(CacheStore delegate, ScheduledExecutorService scheduler, long retryMillis) {
        this.delegate = delegate;
        this.scheduler = scheduler;
        this.retryMillis = retryMillis;
    }

    public void addRecoveryTask(RecoveryTask task) {
        recoveryTasks.add(task);
    }

    /** Runs when the circuit opens: whatever relies on Redis being there (a near cache) lets go. */
    public void addOutageListener(Runnable listener) {
        outageListeners.add(listener);
    }

    /** Checks Redis in the background, so that a Redis down at start-up costs no application call a timeout. */
    public void checkInBackground() {
        scheduler.execute(this::checkNow);
    }

    /**
     * Checks Redis on this thread, which also makes a cluster's or Sentinel's client: an attach does it before
     * it returns, so that caching is on when the command ends.
     */
    public void checkNow() {
        try {
            delegate.ping();
            AgentLog.info("connected to Redis at " + delegate.describe());
        } catch (StoreException e) {
            failed(e);
        }
    }

    @Override
    public byte[] get(String key) throws StoreException {
        ensureClosed();
        try {
            return delegate.get(key);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public List<byte[]> getAll(List<String> keys) throws StoreException {
        ensureClosed();
        try {
            return delegate.getAll(keys);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public StoredEntry getWithTtl(String key) throws StoreException {
        ensureClosed();
        try {
            return delegate.getWithTtl(key);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public long remainingTtlMillis(String key) throws StoreException {
        ensureClosed();
        try {
            return delegate.remainingTtlMillis(key);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public void set(String key, byte[] value, long ttlMillis) throws StoreException {
        ensureClosed();
        try {
            delegate.set(key, value, ttlMillis);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
        ensureClosed();
        try {
            return delegate.setIfAbsent(key, value, ttlMillis);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean looksUpWithLease() {
        return delegate.looksUpWithLease();
    }

    @Override
    public byte[] getOrSetIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
        ensureClosed();
        try {
            return delegate.getOrSetIfAbsent(key, value, ttlMillis);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis) throws StoreException {
        ensureClosed();
        try {
            return delegate.replaceIfEquals(key, expected, value, ttlMillis);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public void deleteIfEquals(String key, byte[] expected) throws StoreException {
        ensureClosed();
        try {
            delegate.deleteIfEquals(key, expected);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public void delete(Collection<String> keys) throws StoreException {
        ensureClosed();
        try {
            delegate.delete(keys);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public long deleteMatching(String pattern) throws StoreException {
        ensureClosed();
        try {
            return delegate.deleteMatching(pattern);
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public void ping() throws StoreException {
        ensureClosed();
        try {
            delegate.ping();
        } catch (StoreException e) {
            throw failed(e);
        }
    }

    @Override
    public boolean isAvailable() {
        return !open;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }

    private void ensureClosed() throws StoreException {
        if (open) {
            throw OPEN;
        }
    }

    private StoreException failed(StoreException e) {
        if (e.isUnavailable() && !open) {
            open = true;
            outageListeners.forEach(Runnable::run);
            AgentLog.warn("Redis at " + delegate.describe() + " is unavailable, calls run uncached until it is back; "
                    + "retrying every " + retryMillis + " ms. Cause: " + e.getMessage());
            scheduleProbe();
        }
        return e;
    }

    private void scheduleProbe() {
        if (closed || !probeScheduled.compareAndSet(false, true)) {
            return;
        }
        scheduler.schedule(this::probe, retryMillis, TimeUnit.MILLISECONDS);
    }

    private void probe() {
        probeScheduled.set(false);
        if (closed) {
            return;
        }
        try {
            delegate.ping();
            // an eviction that fails while the replay runs joins the backlog after the replay's snapshot:
            // replay again until the circuit closes with nothing pending
            for (int round = 0; round < MAX_RECOVERY_ROUNDS; round++) {
                for (RecoveryTask task : recoveryTasks) {
                    task.beforeResume(delegate);
                }
                if (resumeIfDone(0)) {
                    AgentLog.info("Redis at " + delegate.describe() + " is back; caching resumes");
                    return;
                }
            }
            scheduleProbe();
        } catch (StoreException | RuntimeException e) {
            AgentLog.debug("Redis still unavailable: " + e.getMessage());
            scheduleProbe();
        }
    }

    /** Closes the circuit while every recovery task, from {@code index} on, has nothing pending. */
    private boolean resumeIfDone(int index) {
        if (index == recoveryTasks.size()) {
            open = false;
            return true;
        }
        return recoveryTasks.get(index).resumeIfDone(() -> resumeIfDone(index + 1));
    }
}
