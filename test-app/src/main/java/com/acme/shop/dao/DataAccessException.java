package com.acme.shop.dao;

/**
 * A database failure the caller cannot do anything about.
 */
public class DataAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
