package com.acme.shop.dao;

/**
 * A write addressed to a product id that does not exist.
 */
public class ProductNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long productId;

    public ProductNotFoundException(long productId) {
        super("No product with id " + productId);
        this.productId = productId;
    }

    public long getProductId() {
        return productId;
    }
}
