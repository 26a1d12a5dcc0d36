package dev.cacheaside.agent.store;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain RESP2 connection for the two long-lived connections of the near cache's invalidation
 * listener, whose pushes (arrays of keys inside pub/sub messages) a general client does not expect.
 */
final class RespConnection implements AutoCloseable {

    private static final int MAX_BULK = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * Connects, and with {@code tls} completes the handshake before anything is sent; {@code verifyHostname}
     * makes the handshake fail unless the certificate names {@code host}.
     */
    RespConnection(String host, int port, int timeoutMillis, SSLSocketFactory tls, boolean verifyHostname)
            throws IOException {
        Socket raw = SocketFactory.getDefault().createSocket();
        try {
            raw.connect(new InetSocketAddress(host, port), timeoutMillis);
            raw.setSoTimeout(timeoutMillis);
            raw.setTcpNoDelay(true);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.createSocket(raw, host, port, true);
                if (verifyHostname) {
                    TlsSocketFactory.verifyHostname(secure);
                }
                secure.startHandshake();
                raw = secure;
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(raw);
            throw e;
        }
        this.socket = raw;
        this.in = new BufferedInputStream(raw.getInputStream());
        this.out = raw.getOutputStream();
    }

    void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void send(String... words) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(("*" + words.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String word : words) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(bytes);
            request.write('\r');
            request.write('\n');
        }
        out.write(request.toByteArray());
        out.flush();
    }

    /** Sends a command and returns its reply; an error reply becomes an exception. */
    Object call(String... words) throws IOException {
        send(words);
        Object reply = read();
        if (reply instanceof RespError) {
            throw new IOException(((RespError) reply).message);
        }
        return reply;
    }

    /** One reply: String (simple or bulk), Long, List, null, or {@link RespError}. */
    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed by Redis");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                if (length > MAX_BULK) {
                    throw new IOException("bulk reply of " + length + " bytes");
                }
                byte[] bytes = new byte[length];
                int read = 0;
                while (read < length) {
                    int chunk = in.read(bytes, read, length - read);
                    if (chunk < 0) {
                        throw new IOException("connection closed by Redis");
                    }
                    read += chunk;
                }
                readLine();
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(Math.min(count, 1024));
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: '" + (char) type + line + "'");
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("malformed RESP line");
                }
                return line.toString();
            }
            line.append((char) c);
            if (line.length() > 1024) {
                throw new IOException("RESP line too long");
            }
        }
        throw new IOException("connection closed by Redis");
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** An error reply. */
    static final class RespError {
        final String message;

        RespError(String message) {
            this.message = message;
        }
    }
}
