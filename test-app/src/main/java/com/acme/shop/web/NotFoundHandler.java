package com.acme.shop.web;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Answers every path no other handler claims.
 */
final class NotFoundHandler extends JsonHandler {

    NotFoundHandler(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    Response respond(Request request) {
        throw HttpError.notFound("No resource at /" + String.join("/", request.segments()));
    }
}
