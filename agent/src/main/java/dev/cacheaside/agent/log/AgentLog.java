package dev.cacheaside.agent.log;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own log: lines prefixed {@code [cache-aside]} on stderr. It adds no logging framework
 * to the application. Warnings about the environment (Redis down, a value that no longer decodes)
 * go through {@link #warnLimited} so that a failing Redis cannot flood the application's log.
 */
public final class AgentLog {

    /** Severity, most severe first. */
    public enum Level {
        ERROR, WARN, INFO, DEBUG;

        public static Level parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final long LIMIT_WINDOW_NANOS = 30_000_000_000L;

    private static volatile Level level = Level.INFO;
    private static volatile PrintStream out = System.err;
    private static final ConcurrentHashMap<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private AgentLog() {
    }

    public static void setLevel(Level newLevel) {
        level = newLevel;
    }

    public static void error(String message) {
        log(Level.ERROR, message, null);
    }

    public static void error(String message, Throwable cause) {
        log(Level.ERROR, message, cause);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    /**
     * Logs a warning at most once per 30 s for one topic; the next line that gets through says how many
     * were held back.
     */
    public static void warnLimited(String topic, String message) {
        warnLimited(topic, () -> message);
    }

    /** As {@link #warnLimited(String, String)}, building the message only when it is logged. */
    public static void warnLimited(String topic, java.util.function.Supplier<String> message) {
        if (!enabled(Level.WARN)) {
            return;
        }
        Window window = WINDOWS.computeIfAbsent(topic, ignored -> new Window());
        long now = System.nanoTime();
        long opened = window.openedAt.get();
        if (opened != 0 && now - opened < LIMIT_WINDOW_NANOS) {
            window.suppressed.incrementAndGet();
            return;
        }
        if (!window.openedAt.compareAndSet(opened, now)) {
            window.suppressed.incrementAndGet();
            return;
        }
        long held = window.suppressed.getAndSet(0);
        String text = message.get();
        log(Level.WARN, held == 0 ? text : text + " (" + held + " similar warnings held back)", null);
    }

    private static boolean enabled(Level candidate) {
        return candidate.ordinal() <= level.ordinal();
    }

    private static void log(Level candidate, String message, Throwable cause) {
        if (!enabled(candidate)) {
            return;
        }
        StringBuilder line = new StringBuilder(64 + message.length()).append("[cache-aside] ");
        if (candidate != Level.INFO) {
            line.append(candidate).append(' ');
        }
        line.append(message);
        if (cause != null) {
            line.append(": ").append(describe(cause));
        }
        out.println(line);
    }

    /** "ExceptionType: message", with the first cause, for one-line reports. */
    public static String describe(Throwable error) {
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            text += " (caused by " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return text;
    }

    private static final class Window {
        final AtomicLong openedAt = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
