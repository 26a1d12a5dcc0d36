package com.acme.shop.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an HTTP exchange the handlers need, with bad input turned into 400 errors.
 */
final class Request {

    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final HttpExchange exchange;
    private final ObjectMapper mapper;
    private final List<String> segments;
    private final Map<String, String> queryParams;

    Request(HttpExchange exchange, ObjectMapper mapper) {
        this.exchange = exchange;
        this.mapper = mapper;
        this.segments = segmentsBelowContext(exchange);
        this.queryParams = parseQuery(exchange.getRequestURI().getRawQuery());
    }

    String method() {
        return exchange.getRequestMethod();
    }

    /** Path segments after the handler's context path: "/products/7/price" gives [7, price]. */
    List<String> segments() {
        return segments;
    }

    void requireMethod(String allowed) {
        if (!allowed.equals(method())) {
            throw HttpError.methodNotAllowed(method(), allowed);
        }
    }

    String requiredParam(String name) {
        String value = queryParams.get(name);
        if (value == null || value.isBlank()) {
            throw HttpError.badRequest("Query parameter '" + name + "' is required");
        }
        return value;
    }

    static long parseId(String text, String what) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below like any other invalid id
        }
        throw HttpError.badRequest(what + " must be a positive whole number, got '" + text + "'");
    }

    <T> T body(Class<T> type) {
        try {
            T value = mapper.readValue(readBody(), type);
            if (value == null) {
                throw HttpError.badRequest("Request body must be a JSON object");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode bodyTree() {
        try {
            JsonNode tree = mapper.readTree(readBody());
            if (tree == null || !tree.isObject()) {
                throw HttpError.badRequest("Request body must be a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readBody() {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw HttpError.payloadTooLarge(MAX_BODY_BYTES);
            }
            if (body.length == 0) {
                throw HttpError.badRequest("Request body is empty");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> segmentsBelowContext(HttpExchange exchange) {
        String context = exchange.getHttpContext().getPath();
        String path = exchange.getRequestURI().getPath();
        // The JDK server matches contexts by plain prefix, so "/productsX" lands here too.
        if (!path.equals(context) && !path.startsWith(context.endsWith("/") ? context : context + "/")) {
            throw HttpError.notFound("No resource at " + path);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.substring(context.length()).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return Collections.unmodifiableList(segments);
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            String[] parts = Arrays.copyOf(pair.split("=", 2), 2);
            try {
                String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                String value = parts[1] == null ? "" : URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("Malformed query string");
            }
        }
        return params;
    }
}
