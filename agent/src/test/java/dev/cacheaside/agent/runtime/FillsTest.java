package dev.cacheaside.agent.runtime;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.LeaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FillsTest {

    private static final byte[] OLD_ROW = "\"old\"".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final MapStore store = new MapStore();
    private final Fills fills = new Fills(store);
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FutureFills futures = new FutureFills(scheduler);

    @Test
    void finish_leaseVoidedByEviction_waitersRunTheMethodInsteadOfServingTheOldValue() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        assertNotNull(lead);
        CompletableFuture<Fills.Outcome> before = waiter(() -> fills.begin("k", lease));
        store.delete(List.of("k"));  // a mutator's eviction voids the lease while the leader's body runs
        CompletableFuture<Fills.Outcome> after = waiter(() -> fills.begin("k", lease));

        assertFalse(fills.finish(lead, OLD_ROW, 60_000));

        assertTrue(before.get().bypass(), "a waiter was served the voided fill's value");
        assertTrue(after.get().bypass(), "a waiter that came after the eviction was served the old value");
        assertNull(store.get("k"));
    }

    @Test
    void finish_leaseHeld_waitersAreServedTheStoredValue() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        CompletableFuture<Fills.Outcome> waiting = waiter(() -> fills.begin("k", lease));

        assertTrue(fills.finish(lead, OLD_ROW, 60_000));

        assertTrue(java.util.Arrays.equals(OLD_ROW, waiting.get().value));
    }

    @Test
    void awaitFill_leaseVoidedByEviction_returnsNothing() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        CompletableFuture<byte[]> waiting = waiter(() -> fills.awaitFill("k", lead.marker, lease));
        store.delete(List.of("k"));

        fills.finish(lead, OLD_ROW, 60_000);

        assertNull(waiting.get());
    }

    @Test
    void lookupOrLease_absentKey_takesTheLease_andTheNextLookupFindsTheMarker() throws Exception {
        LeaseSettings lease = lease();
        byte[] marker = fills.newMarker();

        assertNull(fills.lookupOrLease("k", marker, lease));

        byte[] found = fills.lookupOrLease("k", fills.newMarker(), lease);
        assertTrue(java.util.Arrays.equals(marker, found));
        assertTrue(Fills.isLease(found));
    }

    @Test
    void awaitFill_ownMarkerBeforeItsFlightIsRegistered_joinsTheFlight_insteadOfPollingRedis() throws Exception {
        LeaseSettings lease = lease();
        byte[] marker = fills.newMarker();
        assertNull(fills.lookupOrLease("k", marker, lease));
        CompletableFuture<byte[]> waiting = waiter(() -> fills.awaitFill("k", marker, lease));

        Fills.Lead lead = fills.lead("k", marker);
        int readsBefore = store.reads();
        assertTrue(fills.finish(lead, OLD_ROW, 60_000));

        assertTrue(java.util.Arrays.equals(OLD_ROW, waiting.get()));
        assertTrue(store.reads() <= readsBefore + 1, "the waiter polled Redis for a fill of its own JVM");
    }

    @Test
    void whenComplete_futureNeverCompletes_givesUpItsFlightAndLease_andALateValueIsNotStored() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        CompletableFuture<String> never = new CompletableFuture<>();
        List<String> stored = new java.util.ArrayList<>();
        futures.whenComplete(never, 1_000, stored::add, () -> fills.abandon(lead));

        scheduler.runDue(); // the lease time is over

        assertNull(store.get("k"), "the lease outlived its fill");
        assertNotNull(fills.begin("k", lease).lead, "a later call waited on a fill that gave up");
        never.complete("late");
        scheduler.runDue();
        assertTrue(stored.isEmpty(), "a value completed after the give-up was stored");
    }

    @Test
    void whenComplete_futureCompletesLater_storesOnTheAgentsExecutor_notTheCompletingThread() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        CompletableFuture<byte[]> pending = new CompletableFuture<>();
        futures.whenComplete(pending, 1_000, json -> finishQuietly(lead, json), () -> fills.abandon(lead));

        pending.complete(OLD_ROW); // an event loop completes it
        assertTrue(Fills.isLease(store.get("k")), "the completing thread did the store's Redis I/O");

        assertEquals(2, scheduler.runDue(), "the store and the (now idle) give-up");
        assertTrue(java.util.Arrays.equals(OLD_ROW, store.get("k")));
    }

    @Test
    void whenComplete_futureAlreadyComplete_storesAtOnce() throws Exception {
        List<String> stored = new java.util.ArrayList<>();

        futures.whenComplete(CompletableFuture.completedFuture("now"), 1_000, stored::add, () -> { });

        assertEquals(List.of("now"), stored);
        assertEquals(0, scheduler.runDue());
    }

    @Test
    void whenComplete_futureFails_givesUpOnTheAgentsExecutor() throws Exception {
        LeaseSettings lease = lease();
        Fills.Lead lead = fills.begin("k", lease).lead;
        CompletableFuture<String> failing = new CompletableFuture<>();
        futures.whenComplete(failing, 1_000, value -> { }, () -> fills.abandon(lead));

        failing.completeExceptionally(new IllegalStateException("down"));
        assertNotNull(store.get("k"));
        scheduler.runDue();

        assertNull(store.get("k"));
    }

    private void finishQuietly(Fills.Lead lead, byte[] json) {
        try {
            fills.finish(lead, json, 60_000);
        } catch (dev.cacheaside.agent.store.StoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a caller in its own thread and returns once it waits for the flight (parked with a timeout). */
    private static <T> CompletableFuture<T> waiter(java.util.concurrent.Callable<T> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        thread.start();
        while (thread.getState() != Thread.State.TIMED_WAITING && !outcome.isDone()) {
            Thread.onSpinWait();
        }
        return outcome;
    }

    private LeaseSettings lease() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, "cache-aside.cache.r { method = \"com.example.fixture.Catalog#find\", key = \"r:{0}\","
                + " lease-ttl = 1m, lease-wait = 1m }\n");
        return AgentSettings.load(conf).cacheRules().get("r").lease();
    }
}
