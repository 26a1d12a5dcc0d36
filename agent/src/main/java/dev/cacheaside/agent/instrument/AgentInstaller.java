package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.MatchedMethod;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.runtime.SiteRegistry;
import dev.cacheaside.bridge.CacheAsideBridge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs the one class file transformer of the agent. Its matcher reads the rules in force at each
 * class load, so new rules apply to classes loaded later; {@link #retransform} re-applies them to
 * classes already loaded.
 */
public final class AgentInstaller {

    private static final int RETRANSFORM_BATCH = 100;

    private final Instrumentation instrumentation;
    private final Supplier<RuleMatcher> matcher;
    private final ResettableClassFileTransformer transformer;

    public AgentInstaller(Instrumentation instrumentation, Supplier<RuleMatcher> matcher, SiteRegistry sites) {
        this.instrumentation = instrumentation;
        this.matcher = matcher;
        this.transformer = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                .ignore(ignoredTypes())
                .type((ElementMatcher<TypeDescription>) type -> !matcher.get().match(type).isEmpty())
                .transform(new RuleTransformer(matcher, sites))
                // classes of named modules (JDK proxies live in jdk.proxyN) must read the bridge's module
                .assureReadEdgeTo(instrumentation, CacheAsideBridge.class)
                .installOn(instrumentation);
    }

    /**
     * JDK classes, the agent's own, and generated subclass proxies: Spring's CGLIB and Byte Buddy
     * subclasses ({@code $$}) delegate to the class that already carries the rule, so caching them too
     * would cache every call twice. JDK dynamic proxies stay in: for an interface with no implementing
     * class (a Spring Data repository) the proxy is the only place the rule can go; where a proxy wraps
     * a target that carries the rule too, the nested call of the same key runs uncached.
     */
    private static ElementMatcher.Junction<TypeDescription> ignoredTypes() {
        ElementMatcher.Junction<TypeDescription> jdkProxy = nameContains(".$Proxy");
        return nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk.").and(not(jdkProxy)))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.").and(not(jdkProxy)))
                .or(nameStartsWith("dev.cacheaside.")).or(nameContains("$$")).or(isSynthetic());
    }

    /**
     * Retransforms the loaded classes whose instrumentation differs between the two matchers: a method
     * gained or lost a rule. A change of TTL, key or evict list changes no class and retransforms none.
     */
    public void retransform(RuleMatcher before, RuleMatcher after) {
        List<Class<?>> affected = new ArrayList<>();
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (!instrumentation.isModifiableClass(loaded) || loaded.isArray() || loaded.isPrimitive()) {
                continue;
            }
            try {
                TypeDescription type = TypeDescription.ForLoadedType.of(loaded);
                if (!signature(before, type).equals(signature(after, type))) {
                    affected.add(loaded);
                }
            } catch (RuntimeException | LinkageError e) {
                AgentLog.debug("cannot inspect " + loaded.getName() + ": " + e);
            }
        }
        for (int from = 0; from < affected.size(); from += RETRANSFORM_BATCH) {
            List<Class<?>> batch = affected.subList(from, Math.min(affected.size(), from + RETRANSFORM_BATCH));
            try {
                instrumentation.retransformClasses(batch.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                AgentLog.error("cannot retransform " + batch.size() + " class(es)", e);
            }
        }
        if (!affected.isEmpty()) {
            AgentLog.info("re-applied the rules to " + affected.size() + " loaded class(es)");
        }
    }

    /** Removes every transformation: each instrumented method gets its original code back. */
    public void reset() {
        transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
    }

    /** What the matcher would weave into a class: each method with its rule. */
    private static List<String> signature(RuleMatcher matcher, TypeDescription type) {
        List<String> woven = new ArrayList<>();
        if (matcher == null) {
            return woven;
        }
        for (MatchedMethod method : matcher.match(type)) {
            woven.add(method.kind() + " " + method.ruleName() + " " + method.methodSpec() + " "
                    + method.method().getInternalName() + method.method().getDescriptor());
        }
        return woven;
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
            AgentLog.debug("instrumented " + typeDescription.getName());
        }
    }
}
