package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.LeaseSettings;
import dev.cacheaside.agent.store.CacheStore;
import dev.cacheaside.agent.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Lease-guarded fills and single-flight, after the leases of "Scaling Memcache at Facebook".
 *
 * <p>A miss that leads a fill first writes a lease marker at the entry's own key ({@code SET NX PX}; on
 * Redis 7+ the lookup itself does, {@code SET NX PX GET}, so a miss costs no extra round trip), then runs the method, then replaces the marker with the value only if the marker is still its own
 * (one Lua step). An eviction or a whole-cache drop deletes the key, marker included, so a fill that
 * read the old row before the eviction cannot store it after. The marker starts with a NUL byte, which
 * no JSON value does, and it lives only while its fill runs ({@code lease-ttl} at most); it shares the
 * entry's key, so it needs no extra slot in a cluster and a drop's SCAN finds it.
 *
 * <p>In one JVM, concurrent misses of a key share one flight: the first leads, the others wait for its
 * JSON and decode their own copy, but only once it is stored: the JSON of a fill whose lease was voided is
 * handed to nobody. Across JVMs, a caller that finds a marker polls for the value. Every
 * wait is bounded by {@code lease-wait}; after it the caller runs the method and stores nothing.
 */
final class Fills {

    private static final byte LEASE_TAG = 0;
    private static final byte[] MARKER_PREFIX = "\0lease:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_MARKER_LENGTH = 64;
    private static final long MAX_POLL_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long OWN_FLIGHT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long OWN_FLIGHT_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    /** What a missed call does next. */
    static final class Outcome {
        final Lead lead;
        final byte[] value;

        private Outcome(Lead lead, byte[] value) {
            this.lead = lead;
            this.value = value;
        }

        /** Neither leading nor served: run the method and store nothing. */
        boolean bypass() {
            return lead == null && value == null;
        }
    }

    /** The fill this call leads: the key, its lease marker, and the callers waiting in this JVM. */
    static final class Lead {
        final String key;
        final byte[] marker;
        final CompletableFuture<byte[]> flight;

        Lead(String key, byte[] marker, CompletableFuture<byte[]> flight) {
            this.key = key;
            this.marker = marker;
            this.flight = flight;
        }
    }

    private static final Outcome BYPASS = new Outcome(null, null);

    /** Keys whose fill this thread leads: a nested call for the same key (a proxy around its target) must not wait on itself. */
    private static final ThreadLocal<java.util.Set<String>> LEADING = ThreadLocal.withInitial(java.util.HashSet::new);

    private final CacheStore store;
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> flights = new ConcurrentHashMap<>();
    private final String owner = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final AtomicLong sequence = new AtomicLong();
    private final LeaseReleases releases = new LeaseReleases();

    Fills(CacheStore store) {
        this.store = store;
    }

    /** The leases to release when Redis is back; register it with the store. */
    LeaseReleases releases() {
        return releases;
    }

    /**
     * Whether a stored value is a lease marker: short, and NUL followed by {@code lease:}. Anything else
     * that happens to start with NUL (a value planted by someone else) is a value, never a reason to wait.
     */
    static boolean isLease(byte[] stored) {
        if (stored.length < MARKER_PREFIX.length || stored.length > MAX_MARKER_LENGTH) {
            return false;
        }
        for (int i = 0; i < MARKER_PREFIX.length; i++) {
            if (stored[i] != MARKER_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when this thread already leads a fill of the key: the nested call runs as if uncached. */
    static boolean isLeading(String key) {
        return LEADING.get().contains(key);
    }

    /** The leading thread's method body has returned or thrown; nested calls of the key are over. */
    static void bodyDone(Lead lead) {
        LEADING.get().remove(lead.key);
    }

    /** After a miss: lead the fill, join one running in this JVM, or wait for one running elsewhere. */
    Outcome begin(String key, LeaseSettings lease) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return served(await(running, lease.waitLimit().toNanos()));
        }
        byte[] marker = newMarker();
        try {
            if (store.setIfAbsent(key, marker, lease.ttl().toMillis())) {
                LEADING.get().add(key);
                return new Outcome(new Lead(key, marker, mine), null);
            }
        } catch (StoreException e) {
            releaseLater(e, key, marker);
            land(key, mine, null);
            return BYPASS;
        }
        // another JVM leads, or a value arrived since the lookup
        byte[] value = pollRedis(key, lease.waitLimit().toNanos());
        land(key, mine, value);
        return served(value);
    }

    /**
     * A lookup that leads the fill when the key is absent, in the same round trip: the value or marker at the
     * key, or null when {@code marker} now holds the key and the caller must {@link #lead} its fill.
     */
    byte[] lookupOrLease(String key, byte[] marker, LeaseSettings lease) throws StoreException {
        try {
            return store.getOrSetIfAbsent(key, marker, lease.ttl().toMillis());
        } catch (StoreException e) {
            releaseLater(e, key, marker);
            throw e;
        }
    }

    /**
     * Leads the fill whose lease {@link #lookupOrLease} took. A flight of this JVM still registered for the key
     * had its lease voided (else the lookup would have found its marker): its callers keep waiting on it, and
     * new ones join this fill.
     */
    Lead lead(String key, byte[] marker) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        flights.put(key, mine);
        LEADING.get().add(key);
        return new Lead(key, marker, mine);
    }

    /**
     * An audited hit: swaps the entry's value for a lease marker while the method runs, so that the
     * audit's replacement obeys the rules of a fill (an eviction meanwhile voids it); meanwhile callers
     * wait for the audit as for a fill.
     *
     * @return the lease, or null when a fill of the key runs, the entry changed since it was read, or
     *         Redis failed: then the hit is served unaudited
     */
    Lead beginAudit(String key, byte[] cached, LeaseSettings lease) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        if (flights.putIfAbsent(key, mine) != null) {
            return null;
        }
        byte[] marker = newMarker();
        try {
            if (store.replaceIfEquals(key, cached, marker, lease.ttl().toMillis())) {
                LEADING.get().add(key);
                return new Lead(key, marker, mine);
            }
        } catch (StoreException e) {
            // served unaudited
            releaseLater(e, key, marker);
        }
        land(key, mine, null);
        return null;
    }

    /** A lookup found {@code marker} (null when unknown): wait for the fill that holds it. */
    byte[] awaitFill(String key, byte[] marker, LeaseSettings lease) {
        CompletableFuture<byte[]> running = flights.get(key);
        if (running == null && marker != null && isOwn(marker)) {
            // a thread of this JVM took the lease in its lookup and is about to register its flight
            long until = System.nanoTime() + OWN_FLIGHT_WAIT_NANOS;
            while (running == null && System.nanoTime() < until) {
                LockSupport.parkNanos(OWN_FLIGHT_PAUSE_NANOS);
                running = flights.get(key);
            }
        }
        if (running != null) {
            return await(running, lease.waitLimit().toNanos());
        }
        // a fill in another JVM: one caller of this JVM polls Redis for it, the others wait for that caller
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return await(running, lease.waitLimit().toNanos());
        }
        byte[] value = pollRedis(key, lease.waitLimit().toNanos());
        land(key, mine, value);
        return value;
    }

    /** Whether this JVM wrote the marker: {@code NUL lease:<owner>:<sequence>}. */
    private boolean isOwn(byte[] marker) {
        int at = MARKER_PREFIX.length;
        if (marker.length <= at + owner.length() || marker[at + owner.length()] != ':') {
            return false;
        }
        for (int i = 0; i < owner.length(); i++) {
            if (marker[at + i] != owner.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ends a fill: stores {@code json} where the lease is still its own (when {@code ttlMillis} > 0),
     * else only releases the lease. Only a stored value goes to the callers waiting in this JVM: a fill
     * whose lease an eviction voided read data older than the eviction, so they run the method themselves.
     *
     * @return true when the value was stored, false when the lease had been voided or nothing was to be stored
     */
    boolean finish(Lead lead, byte[] json, long ttlMillis) throws StoreException {
        boolean stored = false;
        try {
            if (json != null && ttlMillis > 0) {
                stored = store.replaceIfEquals(lead.key, lead.marker, json, ttlMillis);
                return stored;
            }
            store.deleteIfEquals(lead.key, lead.marker);
            return false;
        } catch (StoreException e) {
            releaseLater(e, lead.key, lead.marker);
            throw e;
        } finally {
            land(lead.key, lead.flight, stored ? json : null);
        }
    }

    /** Ends a fill whose method threw: releases the lease; waiting callers run the method themselves. */
    void abandon(Lead lead) {
        try {
            store.deleteIfEquals(lead.key, lead.marker);
        } catch (StoreException e) {
            releaseLater(e, lead.key, lead.marker);
        } finally {
            land(lead.key, lead.flight, null);
        }
    }

    /**
     * A command that failed on the network may have landed with its reply lost, leaving the marker; one
     * that Redis answered with an error did not run.
     */
    private void releaseLater(StoreException e, String key, byte[] marker) {
        if (e.isUnavailable()) {
            releases.add(key, marker);
        }
    }

    private void land(String key, CompletableFuture<byte[]> flight, byte[] json) {
        flights.remove(key, flight);
        flight.complete(json);
    }

    private static Outcome served(byte[] value) {
        return value == null ? BYPASS : new Outcome(null, value);
    }

    private static byte[] await(CompletableFuture<byte[]> flight, long waitNanos) {
        try {
            return flight.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Polls the key until it holds a value (not a marker), is gone, or the wait is over. */
    private byte[] pollRedis(String key, long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (System.nanoTime() + pause < deadline) {
            try {
                Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                byte[] stored = store.get(key);
                if (stored == null) {
                    return null;
                }
                if (!isLease(stored)) {
                    return stored;
                }
            } catch (StoreException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(pause * 2, MAX_POLL_PAUSE_NANOS);
        }
        return null;
    }

    byte[] newMarker() {
        return marker(owner + ":" + sequence.incrementAndGet());
    }

    /** A lease marker with this identity; other callers of its key wait for the fill that holds it. */
    static byte[] marker(String identity) {
        byte[] text = ("lease:" + identity).getBytes(StandardCharsets.US_ASCII);
        byte[] marker = new byte[text.length + 1];
        marker[0] = LEASE_TAG;
        System.arraycopy(text, 0, marker, 1, text.length);
        return marker;
    }
}
