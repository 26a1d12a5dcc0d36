package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.runtime.SiteRegistry;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

import java.lang.instrument.Instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Loads Byte Buddy's classes ahead of need after an attach: builds a transformer and weaves the cache
 * advice into a class of its own, and throws both away. Loading and verifying those classes is a good
 * part of an attach's time; done on a thread of its own while the config is read, it overlaps that work
 * where a core is free, and the real transformer and the first retransformation find them loaded.
 */
public final class WeavingPreload {

    private WeavingPreload() {
    }

    /** Starts the preload on a daemon thread; a failure only means that nothing was preloaded. */
    public static void startInBackground(Instrumentation instrumentation) {
        Thread thread = new Thread(() -> {
            try {
                RuleTransformers.create(instrumentation, () -> null, new SiteRegistry());
                ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(WeavingPreload.class.getClassLoader());
                Advice advice = Advice.withCustomMapping().bind(SiteId.class, 0).to(CacheAdvice.class, locator);
                new ByteBuddy().with(TypeValidation.DISABLED).redefine(Sample.class, locator)
                        .visit(advice.on(named("find"))).make().getBytes();
            } catch (RuntimeException | LinkageError e) {
                AgentLog.debug("preloading Byte Buddy failed: " + e);
            }
        }, "cache-aside-preload");
        thread.setDaemon(true);
        thread.start();
    }

    /** Woven and thrown away; never loaded with the advice. */
    static final class Sample {
        Object find(Object argument) {
            return argument;
        }
    }
}
