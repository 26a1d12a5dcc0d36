package dev.cacheaside.agent.instrument;

import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every mutator: after the body, returned or thrown, evicts the rule's keys before
 * control returns to the caller. The same class-loader limits as {@link CacheAdvice} apply.
 */
final class EvictAdvice {

    private EvictAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int siteId, @Advice.Origin Class<?> declaringType,
                     @Advice.AllArguments Object[] arguments,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown Throwable thrown) {
        CacheAsideBridge.afterMutation(siteId, declaringType, arguments, returned, thrown);
    }
}
