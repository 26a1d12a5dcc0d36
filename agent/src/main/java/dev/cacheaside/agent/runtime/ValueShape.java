package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;
import dev.cacheaside.agent.codec.JsonCodec;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * How a method's return value maps to the stored JSON: a plain value as itself, an {@code Optional} as
 * its content or null, a {@code CompletableFuture} or {@code CompletionStage} as its completed value.
 */
final class ValueShape {

    enum Kind { PLAIN, OPTIONAL, FUTURE }

    private final Kind kind;
    private final JavaType storedType;

    private ValueShape(Kind kind, JavaType storedType) {
        this.kind = kind;
        this.storedType = storedType;
    }

    static ValueShape of(Method method, Class<?> seenFrom, JsonCodec codec) {
        JavaType declared = codec.typeOf(method.getGenericReturnType(), seenFrom, method.getDeclaringClass());
        Class<?> raw = method.getReturnType();
        if (raw == Optional.class) {
            return new ValueShape(Kind.OPTIONAL, codec.contentOf(declared));
        }
        if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            return new ValueShape(Kind.FUTURE, codec.contentOf(declared));
        }
        return new ValueShape(Kind.PLAIN, declared);
    }

    Kind kind() {
        return kind;
    }

    /** The type the stored JSON is read as. */
    JavaType storedType() {
        return storedType;
    }

    /** The method's return form of a stored value. */
    Object wrap(Object stored) {
        switch (kind) {
            case OPTIONAL:
                return Optional.ofNullable(stored);
            case FUTURE:
                return CompletableFuture.completedFuture(stored);
            default:
                return stored;
        }
    }
}
