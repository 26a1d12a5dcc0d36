package dev.cacheaside.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a loopback port in front of a server (a redis-server), with faults switched on and off
 * while clients stay connected. A fault applies at once to every connection, open or new, until
 * {@link #heal()} or the next fault replaces it.
 *
 * <p>Each connection is two blocking pumps, one per direction, on daemon threads: a fault takes effect on
 * the next chunk a pump reads. Bytes a fault swallows are gone for good, as on a broken network; they are
 * not delivered after the heal.
 */
public final class FaultProxy implements AutoCloseable {

    /** Which way bytes travel. */
    public enum Direction {
        /** From the client to the server. */
        UPSTREAM,
        /** From the server to the client. */
        DOWNSTREAM
    }

    /** '@' is no type byte of RESP2 or RESP3, so a RESP parser fails on the first byte. */
    static final byte[] GARBAGE = "@not-resp\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Kind { NONE, DELAY, DROP, HALF_OPEN, DRIP, GARBAGE, PARTITION, RESET }

    /** One immutable fault, swapped atomically. */
    private record Fault(Kind kind, long nanos, Direction direction) {
        static final Fault NONE = new Fault(Kind.NONE, 0, null);
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> applied = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private volatile Fault fault = Fault.NONE;
    private volatile boolean closed;

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port forwarding to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        try {
            return new FaultProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A Redis URI naming the proxy. */
    public String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** Connections open through the proxy right now. */
    public int openConnections() {
        return links.size();
    }

    /** Connections accepted since the start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** How often each fault was switched on, by name ({@code delay}, {@code reset}, ...). */
    public Map<String, Long> faultsApplied() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        applied.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    /** Every chunk waits this long before it is passed on, in both directions. */
    public void delay(Duration delay) {
        set(new Fault(Kind.DELAY, delay.toNanos(), null));
    }

    /** Connections are accepted and stay open, but no byte gets through either way (a blackhole). */
    public void drop() {
        set(new Fault(Kind.DROP, 0, null));
    }

    /** Bytes in one direction are swallowed while the other direction works and every socket stays open. */
    public void halfOpen(Direction swallowed) {
        set(new Fault(Kind.HALF_OPEN, 0, swallowed));
    }

    /** Bytes trickle through one at a time, {@code perByte} apart, in both directions. */
    public void drip(Duration perByte) {
        set(new Fault(Kind.DRIP, perByte.toNanos(), null));
    }

    /** Bytes that are not RESP go to the client ahead of every chunk the server sends. */
    public void garbage() {
        set(new Fault(Kind.GARBAGE, 0, null));
    }

    /** Open connections go silent (as {@link #drop()}) and new ones are reset at once, as if refused. */
    public void partition() {
        set(new Fault(Kind.PARTITION, 0, null));
    }

    /** Resets (RST, via {@code SO_LINGER 0}) every open connection now, and every new one until the heal. */
    public void reset() {
        set(new Fault(Kind.RESET, 0, null));
        for (Link link : links) {
            link.reset();
        }
    }

    /** Ends the fault: bytes flow again; connections that survived it carry on. */
    public void heal() {
        fault = Fault.NONE;
    }

    private void set(Fault next) {
        applied.computeIfAbsent(next.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                name -> new AtomicLong()).incrementAndGet();
        fault = next;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Kind now = fault.kind();
            if (now == Kind.RESET || now == Kind.PARTITION) {
                resetQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(targetHost, targetPort), 2000);
            } catch (IOException e) {
                // the server is down: the client sees its connection reset, as it would see a refusal
                resetQuietly(client);
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            links.add(link);
            link.start();
        }
    }

    /** One proxied connection: the client's socket, the server's socket and a pump each way. */
    private final class Link {
        private final Socket client;
        private final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            String name = "fault-proxy-" + client.getPort();
            Thread up = new Thread(() -> pump(client, server, Direction.UPSTREAM), name + "-up");
            Thread down = new Thread(() -> pump(server, client, Direction.DOWNSTREAM), name + "-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        private void pump(Socket from, Socket to, Direction direction) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    forward(buffer, read, out, direction);
                }
            } catch (IOException ended) {
                // either side went away or was reset; the other side follows below
            } finally {
                close();
            }
        }

        private void forward(byte[] buffer, int length, OutputStream out, Direction direction) throws IOException {
            Fault now = fault;
            switch (now.kind()) {
                case DROP, PARTITION, RESET -> {
                    return;
                }
                case HALF_OPEN -> {
                    if (now.direction() == direction) {
                        return;
                    }
                }
                case DELAY -> sleepNanos(now.nanos());
                case DRIP -> {
                    for (int i = 0; i < length; i++) {
                        out.write(buffer[i]);
                        out.flush();
                        sleepNanos(now.nanos());
                    }
                    return;
                }
                case GARBAGE -> {
                    if (direction == Direction.DOWNSTREAM) {
                        out.write(GARBAGE);
                    }
                }
                default -> {
                }
            }
            out.write(buffer, 0, length);
            out.flush();
        }

        void reset() {
            resetQuietly(client);
            resetQuietly(server);
            links.remove(this);
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed: nothing to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        for (Link link : links) {
            link.close();
        }
    }
}
