package com.acme.shop.web;

import java.util.Map;

/**
 * Ends a request with the given status and a JSON error body.
 */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;

    private HttpError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message, Map.of());
    }

    static HttpError notFound(String message) {
        return new HttpError(404, message, Map.of());
    }

    static HttpError methodNotAllowed(String method, String allowed) {
        return new HttpError(405, method + " is not supported here", Map.of("Allow", allowed));
    }

    static HttpError payloadTooLarge(int maxBytes) {
        return new HttpError(413, "Request body exceeds " + maxBytes + " bytes", Map.of());
    }

    static HttpError unavailable(String message) {
        return new HttpError(503, message, Map.of());
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}
