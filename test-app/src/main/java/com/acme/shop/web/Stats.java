package com.acme.shop.web;

record Stats(long sqlQueries, long requests) {
}
