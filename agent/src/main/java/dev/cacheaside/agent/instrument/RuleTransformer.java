package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.MatchedMethod;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.runtime.SiteRegistry;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.List;
import java.util.function.Supplier;

/** Weaves the cache or evict advice into each method of a class that a rule applies to. */
final class RuleTransformer implements AgentBuilder.Transformer {

    private final Supplier<RuleMatcher> matcher;
    private final SiteRegistry sites;
    private final ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(CacheAdvice.class.getClassLoader());

    RuleTransformer(Supplier<RuleMatcher> matcher, SiteRegistry sites) {
        this.matcher = matcher;
        this.sites = sites;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                            ClassLoader loader, JavaModule module,
                                            ProtectionDomain protectionDomain) {
        List<MatchedMethod> matched = matcher.get().match(type);
        if (matched.isEmpty() || !BridgeVisibility.visibleFrom(loader, type.getName())) {
            return builder;
        }
        for (MatchedMethod method : matched) {
            String name = method.method().getInternalName();
            String descriptor = method.method().getDescriptor();
            Advice advice;
            if (method.kind() == MatchedMethod.Kind.CACHE) {
                if (method.method().getReturnType().represents(void.class)) {
                    AgentLog.error("cache rule '" + method.ruleName() + "': " + type.getName() + "#" + name
                            + " returns void, so there is nothing to cache; the rule skips it");
                    continue;
                }
                int id = sites.registerCache(loader, type.getName(), name, descriptor, method.ruleName(),
                        method.methodSpec());
                advice = Advice.withCustomMapping().bind(SiteId.class, id).to(CacheAdvice.class, adviceLocator);
            } else if (method.kind() == MatchedMethod.Kind.EVICT) {
                int id = sites.registerEvict(loader, type.getName(), name, descriptor, method.signature(),
                        method.ruleName(), method.methodSpec());
                advice = Advice.withCustomMapping().bind(SiteId.class, id).to(EvictAdvice.class, adviceLocator);
            } else {
                int id = sites.registerWatch(loader, type.getName(), name, descriptor, method.signature());
                advice = Advice.withCustomMapping().bind(SiteId.class, id).to(WatchAdvice.class, adviceLocator);
                builder = builder.visit(new DeclaredMethodAdvice(advice, name, descriptor));
                WovenCheck.expect(name, descriptor, "audit watches " + type.getName() + "#" + method.signature());
                continue;
            }
            builder = builder.visit(new DeclaredMethodAdvice(advice, name, descriptor));
            // logged by CandidateFilter once the class file shows the advice
            WovenCheck.expect(name, descriptor,
                    "rule '" + method.ruleName() + "' applies to " + type.getName() + "#" + name + descriptor);
        }
        return builder;
    }
}
