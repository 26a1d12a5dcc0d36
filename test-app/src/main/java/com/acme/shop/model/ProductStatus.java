package com.acme.shop.model;

public enum ProductStatus {
    ACTIVE,
    DISCONTINUED
}
