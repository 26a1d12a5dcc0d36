package dev.cacheaside.agent.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A connected socket whose reads keep the reading thread's {@link WaitBudget}: each read waits at most
 * what its operation has left, so a dripping reply or a slow connection check cannot stretch a call past
 * {@code timeout}. It stands in for the socket Jedis was given and delegates what Jedis uses of it.
 */
final class BudgetedSocket extends Socket {

    private final Socket socket;
    private final InputStream in;
    /** The timeout Jedis set (0: none); a read waits at most this, and at most what its operation has left. */
    private volatile int configured;
    /** The timeout the socket has now, so that it is set again only when it changes. */
    private int applied;

    BudgetedSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.configured = socket.getSoTimeout();
        this.applied = configured;
        this.in = new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read() throws IOException {
                keepBudget();
                long start = System.nanoTime();
                try {
                    return super.read();
                } finally {
                    WaitBudget.spent(System.nanoTime() - start);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                keepBudget();
                long start = System.nanoTime();
                try {
                    return super.read(buffer, offset, length);
                } finally {
                    WaitBudget.spent(System.nanoTime() - start);
                }
            }
        };
    }

    private void keepBudget() throws IOException {
        long left = WaitBudget.millisLeft();
        int timeout = configured;
        if (left != WaitBudget.NONE) {
            if (left <= 0) {
                throw new SocketTimeoutException("the operation has waited its timeout for Redis");
            }
            timeout = timeout == 0 ? (int) Math.min(left, Integer.MAX_VALUE) : (int) Math.min(timeout, left);
        }
        if (timeout != applied) {
            socket.setSoTimeout(timeout);
            applied = timeout;
        }
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        configured = timeout;
    }

    @Override
    public int getSoTimeout() {
        return configured;
    }

    @Override
    public boolean isConnected() {
        return socket.isConnected();
    }

    @Override
    public boolean isBound() {
        return socket.isBound();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket.isOutputShutdown();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket.getLocalSocketAddress();
    }

    @Override
    public synchronized void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
