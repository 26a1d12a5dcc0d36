package com.acme.shop.web;

import java.util.Map;

/**
 * What a handler answers; a null body means no content.
 */
record Response(int status, Object body, Map<String, String> headers) {

    static Response ok(Object body) {
        return new Response(200, body, Map.of());
    }

    static Response created(Object body, String location) {
        return new Response(201, body, Map.of("Location", location));
    }

    static Response noContent() {
        return new Response(204, null, Map.of());
    }

    static Response error(int status, String message) {
        return error(status, message, Map.of());
    }

    static Response error(int status, String message, Map<String, String> headers) {
        return new Response(status, ErrorBody.of(status, message), headers);
    }
}
