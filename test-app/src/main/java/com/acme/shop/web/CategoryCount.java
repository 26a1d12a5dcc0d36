package com.acme.shop.web;

record CategoryCount(long categoryId, int count) {
}
