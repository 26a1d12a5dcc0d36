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
        CompletableFuture<byte[]> waiting = waiter(() -> fills.awaitFill("k", lease));
        store.delete(List.of("k"));

        fills.finish(lead, OLD_ROW, 60_000);

        assertNull(waiting.get());
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
