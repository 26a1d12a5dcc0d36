package com.acme.shop.web;

record ErrorBody(int status, String error, String message) {

    static ErrorBody of(int status, String message) {
        return new ErrorBody(status, reason(status), message);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }
}
