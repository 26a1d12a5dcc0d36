package dev.cacheaside.agent.concurrent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Start-up work on daemon threads of its own, so that its class loading overlaps the caller's. */
public final class Background {

    private Background() {
    }

    /** Runs the task on a daemon thread named {@code threadName}. */
    public static <T> CompletableFuture<T> run(String threadName, Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** The task's value; the task's own exception or error when it failed, not a wrapper of it. */
    public static <T> T joined(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
