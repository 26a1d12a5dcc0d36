package com.acme.shop.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

final class Json {

    private Json() {
    }

    static ObjectMapper newMapper() {
        // Clients send back what they read, including computed fields such as reviewCount.
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
