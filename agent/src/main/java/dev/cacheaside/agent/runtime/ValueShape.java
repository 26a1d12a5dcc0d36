package dev.cacheaside.agent.runtime;

import com.fasterxml.jackson.databind.JavaType;
import dev.cacheaside.agent.codec.JsonCodec;

import java.lang.invoke.MethodType;
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
    /** The method's erased return type, boxed: what the advice casts a hit's value to. */
    private final Class<?> returnType;
    private final boolean primitive;

    private ValueShape(Kind kind, JavaType storedType, Class<?> returnType) {
        this.kind = kind;
        this.storedType = storedType;
        this.primitive = returnType.isPrimitive();
        this.returnType = primitive ? MethodType.methodType(returnType).wrap().returnType() : returnType;
    }

    static ValueShape of(Method method, Class<?> seenFrom, JsonCodec codec) {
        JavaType declared = declaredType(method, seenFrom, codec);
        Class<?> raw = method.getReturnType();
        if (raw == Optional.class) {
            return new ValueShape(Kind.OPTIONAL, codec.contentOf(declared), raw);
        }
        if (raw == CompletableFuture.class || raw == CompletionStage.class) {
            return new ValueShape(Kind.FUTURE, codec.contentOf(declared), raw);
        }
        return new ValueShape(Kind.PLAIN, declared, raw);
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

    /**
     * Whether the advice can return {@code wrapped} from the method: the skipped body cannot run any more
     * once the advice's cast fails, so a value that would not pass it is never served.
     */
    boolean fits(Object wrapped) {
        return wrapped == null ? !primitive : returnType.isInstance(wrapped);
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
