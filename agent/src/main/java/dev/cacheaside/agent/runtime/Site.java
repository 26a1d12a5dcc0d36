package dev.cacheaside.agent.runtime;

import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;

/**
 * One instrumented method of one class in one class loader, under one rule. Its id is baked into the
 * method's advice as a constant; its binding to the rules in force is made on first call and again
 * after each reload. Everything it derives from its class is held weakly here and strongly by the class
 * ({@link ClassAnchors}), so that the registry never keeps the class's loader alive.
 */
abstract class Site {

    final int id;
    final String ruleName;
    final String methodSpec;
    final String methodName;
    final String descriptor;
    /** The method as people write it, {@code name(type, type)}; set for methods that may change data. */
    String signature;
    /** When the method last returned or threw in this JVM, for the audit; 0 when never. */
    volatile long lastRanMillis;
    private volatile WeakReference<Method> method = new WeakReference<>(null);

    Site(int id, String ruleName, String methodSpec, String methodName, String descriptor) {
        this.id = id;
        this.ruleName = ruleName;
        this.methodSpec = methodSpec;
        this.methodName = methodName;
        this.descriptor = descriptor;
    }

    /** The reflected method, found once in the class that declares it. */
    Method method(Class<?> declaringType) {
        Method resolved = method.get();
        if (resolved == null) {
            for (Method candidate : declaringType.getDeclaredMethods()) {
                if (candidate.getName().equals(methodName) && descriptor.equals(descriptorOf(candidate))) {
                    resolved = candidate;
                    break;
                }
            }
            if (resolved == null) {
                throw new IllegalStateException("no method " + methodName + descriptor + " in "
                        + declaringType.getName());
            }
            ClassAnchors.hold(declaringType, "method " + id, resolved);
            method = new WeakReference<>(resolved);
        }
        return resolved;
    }

    static String descriptorOf(Method method) {
        return MethodType.methodType(method.getReturnType(), method.getParameterTypes()).toMethodDescriptorString();
    }

    /** Whether the template names only arguments the method has; logs the rule's error when not. */
    boolean argumentsFit(String ruleName, String origin, dev.cacheaside.agent.config.KeyTemplate template,
                         Method resolved, Class<?> declaringType) {
        int highest = template.highestArgumentIndex();
        if (highest < resolved.getParameterCount()) {
            return true;
        }
        dev.cacheaside.agent.log.AgentLog.error("rule '" + ruleName + "' (" + origin + "): key '" + template
                + "' names argument " + highest + " but " + describe(declaringType) + " has "
                + resolved.getParameterCount() + " parameter(s); the rule skips this method");
        return false;
    }

    String describe(Class<?> declaringType) {
        return declaringType.getName() + "#" + methodName;
    }
}
