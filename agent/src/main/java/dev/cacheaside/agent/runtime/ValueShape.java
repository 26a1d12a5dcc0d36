package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;
import dev.cacheaside.agent.codec.JsonCodec;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
        JavaType declared = declaredType(method, seenFrom, codec);
        Class<?> raw = method.getReturnType();
        if (raw == Optional.class) {
            return new ValueShape(Kind.OPTIONAL, codec.contentOf(declared));
        }
        if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            return new ValueShape(Kind.FUTURE, codec.contentOf(declared));
        }
        return new ValueShape(Kind.PLAIN, declared);
    }

    /**
     * The method's generic return type. A JDK proxy's methods carry erased types only ({@code Optional},
     * not {@code Optional<Product>}), so for a proxy it is taken from the interface method it implements,
     * as seen from the proxied interface: a Spring Data repository's {@code findById} then reads back as
     * its entity, not as a map.
     */
    private static JavaType declaredType(Method method, Class<?> seenFrom, JsonCodec codec) {
        if (Proxy.isProxyClass(seenFrom)) {
            for (Class<?> proxied : seenFrom.getInterfaces()) {
                try {
                    Method implemented = proxied.getMethod(method.getName(), method.getParameterTypes());
                    if (implemented.getReturnType() == method.getReturnType()) {
                        return codec.typeOf(implemented.getGenericReturnType(), proxied,
                                implemented.getDeclaringClass());
                    }
                } catch (NoSuchMethodException ignored) {
                    // the method belongs to another of the proxied interfaces
                }
            }
        }
        return codec.typeOf(method.getGenericReturnType(), seenFrom, method.getDeclaringClass());
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
