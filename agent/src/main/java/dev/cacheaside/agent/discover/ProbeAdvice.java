package dev.cacheaside.agent.discover;

import dev.cacheaside.bridge.DiscoveryBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into every method discovery watches: a timestamp before the body, and after it one call that
 * hands the arguments and the outcome to the probe. Like the caching advice it names only the bridge,
 * which every class loader sees.
 */
final class ProbeAdvice {

    private ProbeAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return DiscoveryBridge.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@ProbeId int probeId, @Advice.Enter long started, @Advice.AllArguments Object[] arguments,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown Throwable thrown) {
        DiscoveryBridge.exit(probeId, started, arguments, returned, thrown);
    }
}
