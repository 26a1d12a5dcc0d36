package dev.cacheaside.agent.instrument;

import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every mutator: before the body, renders the evict keys built from arguments (the body
 * may change them: {@code changeEmail(user, email)} must evict the old address) and marks the call, so
 * that a nested call of the same rule (a proxy and the implementation it delegates to) leaves the
 * eviction to the outermost one; after the body, returned or thrown, renders the keys built from the
 * result and evicts them all before control returns to the caller. The same class-loader limits as
 * {@link CacheAdvice} apply.
 */
final class EvictAdvice {

    private EvictAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@SiteId int siteId, @Advice.Origin Class<?> declaringType,
                        @Advice.AllArguments Object[] arguments) {
        return CacheAsideBridge.beforeMutation(siteId, declaringType, arguments);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int siteId, @Advice.Origin Class<?> declaringType,
                     @Advice.AllArguments Object[] arguments, @Advice.Enter Object entered,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown Throwable thrown) {
        CacheAsideBridge.afterMutation(siteId, declaringType, arguments, entered, returned, thrown);
    }
}
