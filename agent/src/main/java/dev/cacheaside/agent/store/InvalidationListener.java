package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.RedisSettings;
import dev.cacheaside.agent.log.AgentLog;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens, through Redis itself, for every change of the keys near caches hold: one connection turns on
 * client-side-caching tracking in broadcast mode for the near-cache rules' key prefixes ({@code CLIENT
 * TRACKING on BCAST PREFIX p1 PREFIX p2 ... REDIRECT id}), the other subscribes to {@code
 * __redis__:invalidate} and receives the keys that any client set, deleted, or that expired. A near cache
 * stays coherent across JVMs this way, with no infrastructure but Redis 6+; writes of rules without a
 * near cache send no message to anyone. When either connection fails, or the prefixes change, the sink
 * is told to drop everything before the listener tracks again.
 */
public final class InvalidationListener implements AutoCloseable {

    /** Where invalidations go. */
    public interface Sink {
        void invalidate(List<String> keys);

        /** Everything may be stale: a flush, or a moment without the listener. */
        void invalidateAll();
    }

    private static final String CHANNEL = "__redis__:invalidate";
    private static final int HEALTH_CHECK_MILLIS = 500;

    private final RedisSettings settings;
    private final Sink sink;
    private volatile TrackedPrefixes prefixes;
    private volatile boolean connected;
    private volatile boolean closed;

    public InvalidationListener(RedisSettings settings, TrackedPrefixes prefixes, Sink sink) {
        this.settings = settings;
        this.prefixes = prefixes;
        this.sink = sink;
    }

    /**
     * Tracks these prefixes from now on. When they differ from the tracked ones, near caches stop serving
     * at once, before any rule of the new set can fill one, and serve again once Redis tracks the new set.
     */
    public synchronized void track(TrackedPrefixes next) {
        if (!next.equals(prefixes)) {
            prefixes = next;
            connected = false;
        }
    }

    /** Serving resumes only if the prefixes just tracked are still the wanted ones. */
    private synchronized boolean markConnected(TrackedPrefixes tracked) {
        connected = tracked.equals(prefixes) && !closed;
        return connected;
    }

    public void start() {
        Thread thread = new Thread(this::run, "cache-aside-invalidation");
        thread.setDaemon(true);
        thread.start();
    }

    /** True while invalidations are being received: only then may a near cache serve. */
    public boolean isConnected() {
        return connected;
    }

    private void run() {
        boolean reported = false;
        while (!closed) {
            if (prefixes.isEmpty()) {
                pause(HEALTH_CHECK_MILLIS);
                continue;
            }
            try (RespConnection subscriber = open(); RespConnection tracker = open()) {
                long id = (Long) subscriber.call("CLIENT", "ID");
                subscriber.send("SUBSCRIBE", CHANNEL);
                subscriber.read();
                TrackedPrefixes tracked = prefixes;
                tracker.call(tracked.trackingCommand(id));
                sink.invalidateAll();
                if (!markConnected(tracked)) {
                    continue;
                }
                reported = false;
                AgentLog.info("near cache: receiving invalidations of " + tracked + " from " + settings.describe());
                listen(subscriber, tracker, tracked);
                connected = false;
                sink.invalidateAll();
            } catch (IOException | RuntimeException e) {
                boolean was = connected;
                connected = false;
                sink.invalidateAll();
                if (!was && TlsSocketFactory.hostnameHint(e) != null) {
                    // the store's own connection fails the same way and its one line says so
                    AgentLog.debug("near cache: no invalidations from " + settings.describe() + ": " + e.getMessage());
                } else if (was || !reported) {
                    AgentLog.warn("near cache: no invalidations from " + settings.describe() + " ("
                            + e.getMessage() + "); near caches are emptied and serve nothing until they resume");
                    reported = true;
                }
                pause(settings.retryInterval().toMillis());
            }
        }
    }

    /** Delivers invalidations until the listener closes or other prefixes are wanted. */
    private void listen(RespConnection subscriber, RespConnection tracker, TrackedPrefixes tracked)
            throws IOException {
        subscriber.setReadTimeout(HEALTH_CHECK_MILLIS);
        while (!closed && tracked.equals(prefixes)) {
            Object message;
            try {
                message = subscriber.read();
            } catch (SocketTimeoutException quiet) {
                // both connections must still be there: tracking lives on one, delivery on the other
                tracker.call("PING");
                subscriber.send("PING");
                continue;
            }
            if (!(message instanceof List)) {
                continue;
            }
            List<?> parts = (List<?>) message;
            if (parts.size() == 3 && "message".equals(parts.get(0)) && CHANNEL.equals(parts.get(1))) {
                Object keys = parts.get(2);
                if (keys instanceof List) {
                    List<String> invalidated = new ArrayList<>();
                    for (Object key : (List<?>) keys) {
                        invalidated.add(String.valueOf(key));
                    }
                    sink.invalidate(invalidated);
                } else {
                    sink.invalidateAll();
                }
            }
        }
    }

    private RespConnection open() throws IOException {
        int timeout = (int) Math.max(1, settings.timeout().toMillis());
        SSLSocketFactory tls = null;
        if (settings.uri().tls()) {
            try {
                tls = settings.tls().isCustom() ? TlsSocketFactory.create(settings.tls())
                        : (SSLSocketFactory) SSLSocketFactory.getDefault();
            } catch (StoreException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        RespConnection connection = new RespConnection(settings.uri().host(), settings.uri().port(), timeout, tls,
                settings.tls().verifyHostname());
        try {
            if (settings.password() != null) {
                if (settings.user() != null) {
                    connection.call("AUTH", settings.user(), settings.password());
                } else {
                    connection.call("AUTH", settings.password());
                }
            }
            return connection;
        } catch (IOException e) {
            connection.close();
            throw e;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
    }
}
