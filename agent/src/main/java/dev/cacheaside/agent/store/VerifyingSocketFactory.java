package dev.cacheaside.agent.store;

import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Opens Jedis's sockets and checks, with one raw PING, that a Redis server is on the other end.
 * Something else on the port (another service, a proxy gone wrong) can answer bytes that make a RESP
 * parser allocate without bound or wait far past the timeout; this check turns it into one prompt
 * connection failure, which opens the circuit. The socket it hands Jedis, the check's reads
 * included, keeps each operation's wait budget ({@link BudgetedSocket}).
 */
final class VerifyingSocketFactory implements JedisSocketFactory {

    private static final int MAX_REPLY = 256;
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

    private final JedisSocketFactory delegate;
    private final HostAndPort address;

    VerifyingSocketFactory(HostAndPort address, JedisClientConfig config) {
        this.delegate = new DefaultJedisSocketFactory(address, config);
        this.address = address;
    }

    @Override
    public Socket createSocket() throws JedisConnectionException {
        Socket connected = delegate.createSocket();
        try {
            if (connected instanceof SSLSocket) {
                try {
                    ((SSLSocket) connected).startHandshake();
                } catch (IOException e) {
                    throw new JedisConnectionException("TLS handshake with " + address + " failed: " + e.getMessage(), e);
                }
            }
            Socket socket = new BudgetedSocket(connected);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            String reply = readLine(socket.getInputStream());
            // +PONG, or an error such as -NOAUTH before authentication: both are Redis speaking
            if (reply == null || reply.isEmpty() || (reply.charAt(0) != '+' && reply.charAt(0) != '-')) {
                throw new JedisConnectionException(address + " does not speak the Redis protocol (answered PING with '"
                        + printable(reply) + "')");
            }
            return socket;
        } catch (IOException e) {
            closeQuietly(connected);
            throw new JedisConnectionException("no answer to PING from " + address + ": " + e.getMessage(), e);
        } catch (JedisConnectionException e) {
            closeQuietly(connected);
            throw e;
        }
    }

    /** The reply up to CRLF, or what came before the limit, the end of the stream or the timeout. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < MAX_REPLY; i++) {
            int next = in.read();
            if (next < 0) {
                return line.toString();
            }
            if (next == '\n' && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) next);
        }
        return line.toString();
    }

    private static String printable(String reply) {
        if (reply == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(reply.length(), 40); i++) {
            char c = reply.charAt(i);
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return text.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
