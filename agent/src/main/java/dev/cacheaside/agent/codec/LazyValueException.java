package dev.cacheaside.agent.codec;

/**
 * A value holds a lazy-loading association (a Hibernate proxy or persistent collection) that is not
 * loaded. It is not written, since writing it would load it.
 */
public final class LazyValueException extends CodecException {

    private static final long serialVersionUID = 1L;

    LazyValueException(String what, String path, Throwable cause) {
        super(Cause.LAZY, path == null || path.isEmpty() ? what : what + ", at " + path, cause);
    }
}
