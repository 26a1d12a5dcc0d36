package com.acme.shop.web;

import com.acme.shop.dao.DuplicateKeyException;
import com.acme.shop.dao.ProductNotFoundException;
import com.acme.shop.dao.UnknownReferenceException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a handler's {@link Response} or failure into a JSON HTTP response; no exception
 * escapes to the server.
 */
abstract class JsonHandler implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(JsonHandler.class.getName());

    private final ObjectMapper mapper;

    JsonHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    abstract Response respond(Request request);

    @Override
    public final void handle(HttpExchange exchange) {
        try {
            send(exchange, responseFor(exchange));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not answer " + describe(exchange) + ": " + e);
        } finally {
            exchange.close();
        }
    }

    private Response responseFor(HttpExchange exchange) {
        try {
            return respond(new Request(exchange, mapper));
        } catch (HttpError e) {
            return Response.error(e.status(), e.getMessage(), e.headers());
        } catch (ProductNotFoundException e) {
            return Response.error(404, e.getMessage());
        } catch (DuplicateKeyException e) {
            return Response.error(409, "Another product already uses this SKU");
        } catch (UnknownReferenceException e) {
            return Response.error(400, "Unknown category");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Request failed: " + describe(exchange), e);
            return Response.error(500, "Unexpected error, see the server log");
        }
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] body = mapper.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String describe(HttpExchange exchange) {
        return exchange.getRequestMethod() + " " + exchange.getRequestURI();
    }
}
