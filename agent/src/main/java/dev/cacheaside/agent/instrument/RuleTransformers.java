package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.matching.SkippedTypes;
import dev.cacheaside.agent.runtime.SiteRegistry;
import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.function.Supplier;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;

/** The Byte Buddy transformer that weaves the rules' advice, and the classes it never touches. */
final class RuleTransformers {

    private static final ElementMatcher.Junction<TypeDescription> IGNORED = ignoredTypes();

    private RuleTransformers() {
    }

    /** A transformer not registered anywhere: {@link CandidateFilter} calls it for the candidates. */
    static ClassFileTransformer create(Instrumentation instrumentation, Supplier<RuleMatcher> matcher,
                                       SiteRegistry sites) {
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                .ignore(IGNORED)
                .type((ElementMatcher<TypeDescription>) type -> !matcher.get().match(type).isEmpty())
                .transform(new RuleTransformer(matcher, sites))
                // classes of named modules (JDK proxies live in jdk.proxyN) must read the bridge's module
                .assureReadEdgeTo(instrumentation, CacheAsideBridge.class)
                .makeRaw();
    }

    /** {@link SkippedTypes}, and classes the compiler generated. */
    private static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
        return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
            @Override
            public boolean matches(TypeDescription type) {
                return SkippedTypes.isSkipped(type.getName());
            }
        }.or(isSynthetic());
    }

    /** The name test of {@link #ignoredTypes} for a loaded class, without describing it. */
    static boolean isIgnored(String name) {
        return SkippedTypes.isSkipped(name);
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.warn("could not instrument " + typeName + ", it runs unchanged: " + AgentLog.describe(throwable));
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                                     boolean loaded, DynamicType dynamicType) {
            // which rules took is logged by CandidateFilter, once it has seen the class file
            AgentLog.debug("transformed " + typeDescription.getName());
        }
    }
}
