package com.acme.shop.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

final class HealthHandler extends JsonHandler {

    HealthHandler(ObjectMapper mapper) {
        super(mapper);
    }

    @Override
    Response respond(Request request) {
        request.requireMethod("GET");
        if (!request.segments().isEmpty()) {
            throw HttpError.notFound("No resource below /health");
        }
        return Response.ok(Map.of("status", "UP"));
    }
}
