package dev.cacheaside.agent.discover;

import com.fasterxml.jackson.databind.JavaType;
import dev.cacheaside.agent.codec.CodecException;
import dev.cacheaside.agent.codec.JsonCodec;
import dev.cacheaside.bridge.Probe;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe the discovery advice calls: hands each call to its {@link WatchedMethod}, logs the calls
 * of possible mutators, and for a sample of the reads writes the result with the agent's own codec (its
 * size and a hash of its JSON tell whether it changed) and, a few times per method, reads it back to
 * see whether it round-trips as a cached value would.
 */
final class ProbeRecorder implements Probe {

    private static final int ROUND_TRIP_CHECKS = 3;

    private final JsonCodec codec = new JsonCodec();
    private final ArgumentValues argumentValues = new ArgumentValues(codec);
    private final MutationLog mutations = new MutationLog();
    private final List<WatchedMethod> methods = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> roundTrips = new ConcurrentHashMap<>();
    private final Map<Integer, Method> reflected = new ConcurrentHashMap<>();

    /** The id of a method, the same each time its class is transformed again. */
    synchronized int register(ClassLoader loader, String typeName, String methodName, String descriptor,
                              List<String> parameterTypes, boolean cacheable, boolean mutatorLike) {
        String identity = System.identityHashCode(loader) + " " + typeName + "#" + methodName + descriptor;
        Integer known = ids.get(identity);
        if (known != null) {
            return known;
        }
        int id = methods.size();
        methods.add(new WatchedMethod(id, typeName, methodName, parameterTypes, cacheable, mutatorLike, loader));
        ids.put(identity, id);
        return id;
    }

    List<WatchedMethod> methods() {
        return new ArrayList<>(methods);
    }

    WatchedMethod method(int id) {
        return id >= 0 && id < methods.size() ? methods.get(id) : null;
    }

    @Override
    public void record(int probeId, long startedNanos, Object[] arguments, Object returned, Throwable thrown) {
        long now = System.nanoTime();
        WatchedMethod method = method(probeId);
        if (method == null) {
            return;
        }
        if (method.mutatorLike) {
            mutations.add(probeId, argumentValues.comparable(arguments));
        }
        boolean sampled = method.count(now, now - startedNanos);
        if (thrown != null) {
            method.failures.increment();
            return;
        }
        if (!sampled || !method.cacheable) {
            return;
        }
        long analysing = System.nanoTime();
        byte[] json;
        try {
            json = returned == null ? new byte[] {'n', 'u', 'l', 'l'} : codec.encode(returned);
        } catch (CodecException | RuntimeException e) {
            method.codecProblem("its result cannot be written as JSON: " + e.getMessage());
            return;
        }
        if (returned != null) {
            checkRoundTrip(method, returned, json);
        }
        method.analyse(now, argumentValues.key(arguments), argumentValues.comparable(arguments), hash(json),
                json.length, mutations);
        method.analysisTook(System.nanoTime() - analysing);
    }

    /** Reads the JSON back as the declared return type, as a cache hit would, and compares. */
    private void checkRoundTrip(WatchedMethod method, Object returned, byte[] json) {
        AtomicInteger checks = roundTrips.computeIfAbsent(method.id, id -> new AtomicInteger());
        if (checks.incrementAndGet() > ROUND_TRIP_CHECKS) {
            return;
        }
        try {
            Method reflective = reflected.computeIfAbsent(method.id, id -> find(method));
            JavaType type = codec.typeOf(reflective.getGenericReturnType(), reflective.getDeclaringClass(),
                    reflective.getDeclaringClass());
            String refused = codec.refusedTypeIn(type);
            if (refused != null) {
                method.codecProblem("its result type holds " + refused + ", which the agent never caches");
                return;
            }
            Object back = codec.decode(json, type);
            if (!codec.sameValue(returned, back)) {
                method.codecProblem("its result does not round-trip through JSON: read back as "
                        + (back == null ? "null" : back.getClass().getName()) + ", it differs from the original");
            }
        } catch (CodecException | RuntimeException e) {
            method.codecProblem("its result does not round-trip through JSON: " + e.getMessage());
        }
    }

    private static Method find(WatchedMethod method) {
        try {
            Class<?> type = Class.forName(method.typeName, false, method.loader);
            for (Method candidate : type.getDeclaredMethods()) {
                if (candidate.getName().equals(method.methodName) && !candidate.isBridge()
                        && parameterNames(candidate).equals(method.parameterTypes)) {
                    return candidate;
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + method.typeName + ": " + e);
        }
        throw new IllegalStateException("cannot find " + method.spec());
    }

    static List<String> parameterNames(Method method) {
        List<String> names = new ArrayList<>();
        for (Class<?> parameter : method.getParameterTypes()) {
            names.add(name(parameter));
        }
        return names;
    }

    private static String name(Class<?> type) {
        return type.isArray() ? name(type.getComponentType()) + "[]" : type.getName();
    }

    /** 64-bit FNV-1a of the JSON: enough to tell one result from the next. */
    private static long hash(byte[] json) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : json) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
