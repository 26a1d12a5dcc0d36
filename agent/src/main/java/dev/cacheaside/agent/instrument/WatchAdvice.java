package dev.cacheaside.agent.instrument;

import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the possible mutators of a class whose cache rule is audited: records that the method
 * ran, without its arguments, so that the audit can name it when it finds a stale entry.
 */
final class WatchAdvice {

    private WatchAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@SiteId int siteId) {
        CacheAsideBridge.afterMutation(siteId, null, null, null, null, null);
    }
}
