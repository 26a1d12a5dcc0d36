package dev.cacheaside.agent.runtime;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The fills of methods that return a {@code CompletableFuture} or {@code CompletionStage}: the value is
 * stored once the future completes, within a bound.
 *
 * <p>A future completes on whatever thread the application chose, often an event loop, which must not
 * wait on Redis: the store runs on the agent's executor. A future that never completes must not hold its
 * key's single-flight entry and lease forever, making every later call of the key wait: after the limit
 * the fill gives up, and a value completed after that is not stored. A future already complete when the
 * method returns is stored at once, on the caller's thread, as a plain value is.
 */
final class FutureFills {

    private final ScheduledExecutorService executor;

    FutureFills(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Runs {@code store} with the stage's value once it completes normally, or {@code giveUp} when it
     * fails or is not complete within {@code limitMillis}: exactly one of them, once, never on the
     * thread that completes the stage (unless the agent's executor is shut down).
     */
    <T> void whenComplete(CompletionStage<T> stage, long limitMillis, Consumer<? super T> store, Runnable giveUp) {
        if (stage instanceof Future && ((Future<?>) stage).isDone()) {
            stage.whenComplete((value, failure) -> {
                if (failure == null) {
                    store.accept(value);
                } else {
                    giveUp.run();
                }
            });
            return;
        }
        AtomicBoolean open = new AtomicBoolean(true);
        ScheduledFuture<?> timer;
        try {
            timer = executor.schedule(() -> {
                if (open.compareAndSet(true, false)) {
                    giveUp.run();
                }
            }, limitMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            giveUp.run();
            return;
        }
        stage.whenComplete((value, failure) -> {
            if (!open.compareAndSet(true, false)) {
                return;
            }
            if (timer != null) {
                timer.cancel(false);
            }
            Runnable next = failure == null ? () -> store.accept(value) : giveUp;
            try {
                executor.execute(next);
            } catch (RejectedExecutionException e) {
                giveUp.run();
            }
        });
    }
}
