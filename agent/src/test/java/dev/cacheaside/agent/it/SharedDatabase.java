package dev.cacheaside.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database two fixture JVMs share: rows of (version, value) behind a line protocol on loopback.
 * {@code GET k} answers {@code V version value}; {@code SET k value} bumps the version.
 */
final class SharedDatabase implements AutoCloseable {

    /** A row; versions only grow. */
    record Row(long version, String value) {
    }

    private final ServerSocket socket;
    private final ConcurrentHashMap<Integer, Row> rows = new ConcurrentHashMap<>();
    private volatile boolean readsFail;

    SharedDatabase() throws IOException {
        socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "shared-database");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** While true every read answers an error, as a database that is down; writes still land. */
    void failReads(boolean fail) {
        readsFail = fail;
    }

    /** A write behind the application's back: no evict rule runs. */
    Row write(int key, String value) {
        return rows.compute(key, (k, old) -> new Row(old == null ? 1 : old.version() + 1, value));
    }

    Row row(int key) {
        return rows.getOrDefault(key, new Row(0, "initial"));
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread thread = new Thread(() -> serve(client), "shared-database-client");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                     StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.split(" ", 3);
                int key = Integer.parseInt(words[1]);
                if (words[0].equals("SET")) {
                    out.println("OK " + write(key, words[2]).version());
                } else if (readsFail) {
                    out.println("ERR down");
                } else {
                    Row row = row(key);
                    out.println("V " + row.version() + " " + row.value());
                }
            }
        } catch (IOException ignored) {
            // the fixture JVM ended
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
