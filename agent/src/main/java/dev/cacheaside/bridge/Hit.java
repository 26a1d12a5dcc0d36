package dev.cacheaside.bridge;

/** A cached value found before the method ran; the advice skips the body when enter returns one. */
public final class Hit {

    private final Object value;

    public Hit(Object value) {
        this.value = value;
    }

    /** The value to return, already in the method's return form (may be null for a cached null). */
    public Object value() {
        return value;
    }
}
