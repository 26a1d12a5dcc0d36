package com.acme.shop.web;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

final class RequestCountingFilter extends Filter {

    private final RequestCounter counter;

    RequestCountingFilter(RequestCounter counter) {
        this.counter = counter;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        counter.increment();
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "Counts catalog requests";
    }
}
