package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.matching.SkippedTypes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The class file transformer registered in premain, built from JDK classes only so that registering
 * it costs nothing. It passes a class on to Byte Buddy only when the class file names a method some
 * rule names and its supertypes may lead to a type some rule names; every other class is left alone
 * after a scan of its constant pool.
 *
 * <p>Byte Buddy, the store and the codec start on a thread of their own meanwhile. A candidate class
 * that loads before they are ready waits for them (bounded), so that its first call is already
 * cached; the agent's own threads never wait. A candidate that gives up waiting is remembered and
 * retransformed once the agent is ready.
 *
 * <p>Every class file Byte Buddy returns is checked against what the rules asked for ({@link WovenCheck}):
 * a rule is logged as applied to a method only when that method calls the bridge. A class defined with
 * a method left unwoven is retransformed once it is loaded; one that a retransformation cannot weave
 * either is reported, and runs unchanged.
 */
final class CandidateFilter implements ClassFileTransformer {

    private static final long READY_WAIT_SECONDS = 10;

    private final Supplier<RuleMatcher> matcher;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Set<String> missed = ConcurrentHashMap.newKeySet();
    private volatile ClassFileTransformer delegate;
    private volatile Retransformer retransformer;

    /** Retransforms a class once it is defined, when its definition left a rule's method unwoven. */
    interface Retransformer {
        void retransformWhenLoaded(ClassLoader loader, String internalName);
    }

    CandidateFilter(Supplier<RuleMatcher> matcher) {
        this.matcher = matcher;
    }

    /** Hands candidates to the full transformer from now on, and wakes the classes that wait for it. */
    void ready(ClassFileTransformer transformer, Retransformer retransformer) {
        this.retransformer = retransformer;
        delegate = transformer;
        ready.countDown();
    }

    /** Gives up on becoming ready: waiting classes load unchanged. */
    void abandon() {
        ready.countDown();
    }

    /** Names (internal form) of candidates that loaded before the agent was ready and were left as they are. */
    Set<String> missed() {
        return missed;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) throws IllegalClassFormatException {
        if (className == null || SkippedTypes.isJdkOrAgent(className)) {
            return null;
        }
        RuleMatcher current = matcher.get();
        boolean related = classBeingRedefined != null
                || current.mayLeadToRuleType(loader, className, classFile);
        if (!related || !current.mayDeclare(classFile)) {
            return null;
        }
        ClassFileTransformer full = delegate;
        if (full == null && !Thread.currentThread().getName().startsWith("cache-aside")) {
            try {
                ready.await(READY_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            full = delegate;
        }
        if (full == null) {
            missed.add(className);
            return null;
        }
        WovenCheck.take(); // nothing a failed transformation left behind on this thread
        byte[] transformed = full.transform(loader, className, classBeingRedefined, protectionDomain, classFile);
        verify(loader, className, classBeingRedefined != null, transformed != null ? transformed : classFile);
        return transformed;
    }

    private void verify(ClassLoader loader, String className, boolean retransforming, byte[] result) {
        List<WovenCheck.Expected> expected = WovenCheck.take();
        if (expected.isEmpty()) {
            return;
        }
        Set<String> woven;
        try {
            woven = WovenCheck.woven(result);
        } catch (RuntimeException e) {
            AgentLog.debug("cannot read the transformed " + className + ": " + e);
            return;
        }
        List<WovenCheck.Expected> missing = new ArrayList<WovenCheck.Expected>();
        for (WovenCheck.Expected method : expected) {
            if (woven.contains(method.method + method.descriptor)) {
                AgentLog.debug(method.applied);
            } else {
                missing.add(method);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Retransformer retry = retransformer;
        if (!retransforming && retry != null) {
            AgentLog.debug(className.replace('/', '.') + " was defined without the advice of " + missing.size()
                    + " method(s); it is retransformed once loaded");
            retry.retransformWhenLoaded(loader, className);
            return;
        }
        for (WovenCheck.Expected method : missing) {
            AgentLog.warn("could not weave " + className.replace('/', '.') + "#" + method.method + method.descriptor
                    + ", it runs unchanged (" + method.applied + " did not take)");
        }
    }
}
