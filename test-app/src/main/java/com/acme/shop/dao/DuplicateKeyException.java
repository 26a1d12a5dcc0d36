package com.acme.shop.dao;

/**
 * A write that would break a unique constraint, such as a second product with the same SKU.
 */
public class DuplicateKeyException extends DataAccessException {

    private static final long serialVersionUID = 1L;

    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
