package dev.cacheaside.agent.instrument;

import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every mutator: after the body, returned or thrown, evicts the rule's keys before
 * control returns to the caller. Enter marks the call, so that a nested call of the same rule (a proxy
 * and the implementation it delegates to) leaves the eviction to the outermost one. The same
 * class-loader limits as {@link CacheAdvice} apply.
 */
final class EvictAdvice {

    private EvictAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@SiteId int siteId) {
        return CacheAsideBridge.enterMutation(siteId);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int siteId, @Advice.Enter Object token, @Advice.Origin Class<?> declaringType,
                     @Advice.AllArguments Object[] arguments,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown Throwable thrown) {
        CacheAsideBridge.afterMutation(siteId, token, declaringType, arguments, returned, thrown);
    }
}
