package com.acme.shop.web;

import com.acme.shop.dao.CategoryDao;
import com.acme.shop.dao.ProductDao;
import com.acme.shop.db.SqlStatementCounter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The HTTP JSON API of the catalog on the JDK's built-in server.
 */
public final class ShopServer {

    private static final int BACKLOG = 100;

    private final HttpServer server;

    private ShopServer(HttpServer server) {
        this.server = server;
    }

    /** Binds the port (0 picks a free one) and serves requests on the given executor. */
    public static ShopServer start(int port, Executor executor, ProductDao products, CategoryDao categories,
                                   SqlStatementCounter sqlStatements) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + port, e);
        }
        ObjectMapper mapper = Json.newMapper();
        RequestCounter requests = new RequestCounter();
        RequestCountingFilter counting = new RequestCountingFilter(requests);
        server.createContext("/products", new ProductHandler(mapper, products)).getFilters().add(counting);
        server.createContext("/categories", new CategoryHandler(mapper, categories, products))
                .getFilters().add(counting);
        server.createContext("/stats", new StatsHandler(mapper, sqlStatements, requests));
        server.createContext("/health", new HealthHandler(mapper));
        server.createContext("/", new NotFoundHandler(mapper));
        server.setExecutor(executor);
        server.start();
        return new ShopServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }
}
