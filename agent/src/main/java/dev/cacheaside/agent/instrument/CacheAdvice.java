package dev.cacheaside.agent.instrument;

import dev.cacheaside.bridge.CacheAsideBridge;
import dev.cacheaside.bridge.Hit;
import dev.cacheaside.bridge.Rewrite;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every cached method: enter looks the key up and skips the body on a {@link Hit};
 * exit stores a miss's result, or returns the hit's value, or (a {@link Hit} after the body threw)
 * returns an expired value in place of the exception.
 *
 * <p>Byte Buddy copies these method bodies into the application's class, so they may name only types
 * that every class loader sees: {@code java.*} and the bootstrap bridge. They hold no state and do one
 * call each; {@code suppress} keeps any failure of ours out of the application.
 */
final class CacheAdvice {

    private CacheAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Hit.class, suppress = Throwable.class)
    static Object enter(@SiteId int siteId, @Advice.Origin Class<?> declaringType,
                        @Advice.This(optional = true) Object self,
                        @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] arguments) {
        Object token = CacheAsideBridge.enterCache(siteId, declaringType, self, arguments);
        if (token instanceof Rewrite) {
            // a bulk read: the body runs for the ids that missed
            arguments = ((Rewrite) token).arguments();
        }
        return token;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int siteId, @Advice.Enter Object token,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown(readOnly = false, typing = Assigner.Typing.DYNAMIC) Throwable thrown) {
        Object result = CacheAsideBridge.exitCache(siteId, token, returned, thrown);
        if (thrown == null) {
            returned = result;
        } else if (result instanceof Hit) {
            // stale-if-error: an expired value stands in for the exception
            returned = ((Hit) result).value();
            thrown = null;
        }
    }
}
