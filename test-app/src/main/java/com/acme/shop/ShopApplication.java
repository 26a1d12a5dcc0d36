package com.acme.shop;

import com.acme.shop.dao.JdbcCategoryDao;
import com.acme.shop.dao.JdbcProductDao;
import com.acme.shop.db.CatalogSeeder;
import com.acme.shop.db.Database;
import com.acme.shop.db.SqlStatementCounter;
import com.acme.shop.web.ShopServer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the product catalog service: seeds the in-memory database, then serves the HTTP API.
 * Usage: {@code java -jar test-app.jar [--port N]}, or {@code -Dshop.port=N}; port 0 picks a free one.
 */
public final class ShopApplication implements AutoCloseable {

    static {
        // Both are read once, when logging and the HTTP server are first used.
        // One line per log record instead of two:
        defaultProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s [%3$s] %5$s%6$s%n");
        // Without TCP_NODELAY, Nagle's algorithm delays each response on a kept-alive
        // connection by about 40 ms:
        defaultProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Logger LOG = Logger.getLogger(ShopApplication.class.getName());

    private static final int DEFAULT_PORT = 8080;
    private static final int HTTP_THREADS = 8;
    private static final int ASYNC_THREADS = 4;

    private final Database database;
    private final ExecutorService httpExecutor;
    private final ExecutorService daoExecutor;
    private final ShopServer server;

    private ShopApplication(Database database, ExecutorService httpExecutor, ExecutorService daoExecutor,
                            ShopServer server) {
        this.database = database;
        this.httpExecutor = httpExecutor;
        this.daoExecutor = daoExecutor;
        this.server = server;
    }

    public static void main(String[] args) {
        int port;
        try {
            port = parsePort(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: java -jar test-app.jar [--port N]");
            System.exit(2);
            return;
        }
        ShopApplication application;
        try {
            application = start(port);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Shop failed to start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(application::close, "shop-shutdown"));
        System.out.println("Shop listening on port " + application.port());
        System.out.flush();
    }

    /** Seeds a fresh catalog and starts serving; returns once the port accepts connections. */
    public static ShopApplication start(int port) {
        long startedAt = System.nanoTime();
        Database database = Database.connect();
        ExecutorService daoExecutor = Executors.newFixedThreadPool(ASYNC_THREADS, new NamedThreadFactory("dao-async"));
        ExecutorService httpExecutor = Executors.newFixedThreadPool(HTTP_THREADS, new NamedThreadFactory("http"));
        try {
            database.recreateSchema();
            int reviews = new CatalogSeeder(database.dataSource()).seed();
            SqlStatementCounter sqlStatements = new SqlStatementCounter();
            JdbcProductDao products = new JdbcProductDao(database.dataSource(), sqlStatements, daoExecutor);
            JdbcCategoryDao categories = new JdbcCategoryDao(database.dataSource(), sqlStatements);
            ShopServer server = ShopServer.start(port, httpExecutor, products, categories, sqlStatements);
            long millis = (System.nanoTime() - startedAt) / 1_000_000;
            LOG.info(() -> String.format("Catalog of %d categories, %d products and %d reviews ready in %d ms",
                    CatalogSeeder.CATEGORY_COUNT, CatalogSeeder.PRODUCT_COUNT, reviews, millis));
            return new ShopApplication(database, httpExecutor, daoExecutor, server);
        } catch (RuntimeException e) {
            httpExecutor.shutdownNow();
            daoExecutor.shutdownNow();
            database.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Stops serving and releases the connection pool; the in-memory data stays until the JVM exits. */
    @Override
    public void close() {
        server.stop();
        httpExecutor.shutdownNow();
        daoExecutor.shutdownNow();
        database.close();
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static int parsePort(String[] args) {
        String value = System.getProperty("shop.port", String.valueOf(DEFAULT_PORT));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith("--port=")) {
                value = args[i].substring("--port=".length());
            } else {
                throw new IllegalArgumentException("Unknown argument: " + args[i]);
            }
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below like any other invalid port
        }
        throw new IllegalArgumentException("Invalid port: " + value);
    }
}
