package com.acme.shop.dao;

/**
 * A write that points at a row that does not exist, such as a product in an unknown category.
 */
public class UnknownReferenceException extends DataAccessException {

    private static final long serialVersionUID = 1L;

    public UnknownReferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
