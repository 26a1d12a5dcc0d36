package dev.cacheaside.agent.discover;

import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

import java.util.Arrays;
import java.util.List;

/**
 * Which classes and methods discovery watches. Classes: those of the named packages, or else those whose
 * name says data access or service ({@code ProductDao}, {@code UserRepository}, {@code PriceClient} ...),
 * never the JDK's, frameworks' or generated proxies. Methods: declared, non-private, with a body, not a
 * constructor, synthetic, bridge, plain getter or setter, and taking or returning no stream, I/O handle
 * or callback, whose calls cannot be repeated from a cache.
 */
final class Candidates {

    private static final List<String> SERVICE_SUFFIXES = Arrays.asList("Dao", "DAO", "Repository", "Repo", "Service",
            "Store", "Client", "Gateway", "Mapper", "Catalog", "Finder", "Provider", "Directory", "Api");
    private static final List<String> FOREIGN_PACKAGES = Arrays.asList("java.", "javax.", "jakarta.", "jdk.", "sun.",
            "com.sun.", "dev.cacheaside.", "net.bytebuddy.", "org.springframework.", "org.hibernate.", "org.apache.",
            "com.fasterxml.", "io.netty.", "org.eclipse.", "org.jboss.", "kotlin.", "scala.", "groovy.",
            "com.zaxxer.", "org.h2.", "org.postgresql.", "com.mysql.", "oracle.", "redis.clients.", "io.micrometer.",
            "ch.qos.", "org.slf4j.", "org.junit.", "com.google.", "io.undertow.", "org.glassfish.", "reactor.",
            "org.aspectj.", "io.opentelemetry.", "co.elastic.", "org.gradle.", "org.objectweb.");
    // assignable to one of these, a parameter or result cannot be repeated from a cache
    private static final List<String> UNREPEATABLE_TYPES = Arrays.asList("java.util.stream.BaseStream",
            "java.lang.AutoCloseable", "java.util.Iterator", "java.util.Spliterator", "java.util.Enumeration",
            "java.lang.Runnable", "java.util.concurrent.Callable", "java.util.EventListener", "java.lang.Thread",
            "java.lang.ClassLoader", "java.util.concurrent.Executor", "java.util.function.Function",
            "java.util.function.Supplier", "java.util.function.Consumer", "java.util.function.Predicate",
            "java.util.function.BiFunction", "java.util.function.BiConsumer", "java.sql.Connection",
            "java.io.File", "java.nio.file.Path", "java.nio.ByteBuffer");
    private static final List<String> ASYNC_TYPES = Arrays.asList("java.util.concurrent.Future",
            "java.util.concurrent.CompletionStage");
    private static final List<String> OBJECT_METHODS = Arrays.asList("toString", "hashCode", "equals", "compareTo",
            "clone", "finalize", "main", "close");

    private final List<String> packages;

    /** @param packages package prefixes to watch; empty for the name heuristic */
    Candidates(List<String> packages) {
        this.packages = packages;
    }

    boolean watchesClass(TypeDescription type) {
        String name = type.getName();
        if (type.isInterface() || type.isAnnotation() || type.isEnum() || type.isSynthetic() || name.contains("$$")
                || name.contains("$Proxy") || name.contains("$Lambda") || name.contains("$ByteBuddy")) {
            return false;
        }
        if (!packages.isEmpty()) {
            for (String prefix : packages) {
                if (name.equals(prefix) || name.startsWith(prefix + ".") || name.startsWith(prefix + "$")) {
                    return !name.startsWith("dev.cacheaside.");
                }
            }
            return false;
        }
        for (String foreign : FOREIGN_PACKAGES) {
            if (name.startsWith(foreign)) {
                return false;
            }
        }
        String simple = name.substring(Math.max(name.lastIndexOf('.'), name.lastIndexOf('$')) + 1);
        for (String suffix : SERVICE_SUFFIXES) {
            if (simple.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the method is watched at all: as a possible cache rule or a possible mutator. */
    boolean watchesMethod(TypeDescription type, MethodDescription method) {
        if (method.isConstructor() || method.isTypeInitializer() || method.isAbstract() || method.isNative()
                || method.isSynthetic() || method.isBridge() || method.isPrivate()
                || OBJECT_METHODS.contains(method.getName()) || isAccessor(type, method)) {
            return false;
        }
        try {
            for (TypeDescription parameter : method.getParameters().asTypeList().asErasures()) {
                if (isAny(parameter, UNREPEATABLE_TYPES) || isCallback(parameter)) {
                    return false;
                }
            }
            return !isAny(method.getReturnType().asErasure(), UNREPEATABLE_TYPES);
        } catch (RuntimeException e) {
            return false; // a type that cannot be resolved: not worth the risk
        }
    }

    /** Whether a watched method's results could be cached: it returns a value, at once. */
    static boolean mayBeCached(MethodDescription method) {
        TypeDescription returned = method.getReturnType().asErasure();
        try {
            return !returned.represents(void.class) && !isAny(returned, ASYNC_TYPES);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** An interface with one abstract method: what a lambda is passed as, and no cache key can hold. */
    private static boolean isCallback(TypeDescription type) {
        if (!type.isInterface() || type.getName().startsWith("java.")) {
            return false; // the JDK's callbacks are in UNREPEATABLE_TYPES; Comparable and the like are values
        }
        int abstractMethods = 0;
        for (MethodDescription method : type.getDeclaredMethods()) {
            if (method.isAbstract()) {
                abstractMethods++;
            }
        }
        return abstractMethods == 1 && type.getInterfaces().isEmpty();
    }

    /** {@code getName()}, {@code isActive()}, {@code setName(x)} over a field of that name. */
    private static boolean isAccessor(TypeDescription type, MethodDescription method) {
        String name = method.getName();
        int parameters = method.getParameters().size();
        String property;
        if (parameters == 0 && name.startsWith("get") && name.length() > 3) {
            property = name.substring(3);
        } else if (parameters == 0 && name.startsWith("is") && name.length() > 2) {
            property = name.substring(2);
        } else if (parameters == 1 && name.startsWith("set") && name.length() > 3
                && method.getReturnType().represents(void.class)) {
            property = name.substring(3);
        } else {
            return false;
        }
        String field = Character.toLowerCase(property.charAt(0)) + property.substring(1);
        for (FieldDescription declared : type.getDeclaredFields()) {
            if (declared.getName().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAny(TypeDescription type, List<String> names) {
        if (type.isPrimitive() || type.isArray()) {
            return false;
        }
        for (TypeDefinition current = type; current != null; current = current.getSuperClass()) {
            if (names.contains(current.asErasure().getName()) || implementsAny(current.asErasure(), names)) {
                return true;
            }
        }
        return false;
    }

    private static boolean implementsAny(TypeDescription type, List<String> names) {
        for (TypeDescription.Generic implemented : type.getInterfaces()) {
            TypeDescription erasure = implemented.asErasure();
            if (names.contains(erasure.getName()) || implementsAny(erasure, names)) {
                return true;
            }
        }
        return false;
    }
}
