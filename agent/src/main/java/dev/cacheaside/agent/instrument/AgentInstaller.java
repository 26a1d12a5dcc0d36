package dev.cacheaside.agent.instrument;

import dev.cacheaside.agent.concurrent.Background;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.matching.LoadedRuleTypes;
import dev.cacheaside.agent.matching.MatchedMethod;
import dev.cacheaside.agent.matching.RuleMatcher;
import dev.cacheaside.agent.runtime.SiteRegistry;
import net.bytebuddy.description.type.TypeDescription;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Installs the agent's class file transformer in two steps: {@link #AgentInstaller} registers the
 * cheap {@link CandidateFilter} at once (premain stays short), {@link #activate} later plugs in Byte
 * Buddy and applies the rules to the classes already loaded. The matcher is read at each class load,
 * so new rules apply to classes loaded later; {@link #retransform} re-applies them to loaded classes.
 */
public final class AgentInstaller {

    private static final int RETRANSFORM_BATCH = 100;
    /** How often, 20 ms apart, a class defined without all its advice is looked for among the loaded ones. */
    private static final int REWEAVE_ATTEMPTS = 250;

    private final Instrumentation instrumentation;
    private final Supplier<RuleMatcher> matcher;
    private final CandidateFilter filter;
    private volatile CompletableFuture<ClassFileTransformer> prepared;
    private ScheduledExecutorService reweaver;

    public AgentInstaller(Instrumentation instrumentation, Supplier<RuleMatcher> matcher) {
        this.instrumentation = instrumentation;
        this.matcher = matcher;
        this.filter = new CandidateFilter(matcher);
        instrumentation.addTransformer(filter, true);
    }

    /**
     * Starts building the full transformer on a thread of its own, so that it loads Byte Buddy while
     * the caller loads the store and the codec; {@link #activate} then takes it.
     */
    public void prepare(SiteRegistry sites) {
        prepared = Background.run("cache-aside-transformer", () -> RuleTransformers.create(instrumentation, matcher, sites));
    }

    /**
     * Builds the full transformer (or takes the one {@link #prepare} built) and hands candidates to it from
     * now on. Then retransforms the loaded classes rules apply to: after an attach, every loaded class is
     * checked; at start-up, only the candidates that loaded before this point. {@code step} hears the end
     * of each of the three steps, for the start's timing.
     */
    public void activate(SiteRegistry sites, boolean attached, Consumer<String> step) {
        ClassFileTransformer transformer;
        try {
            transformer = prepared != null ? Background.joined(prepared) : RuleTransformers.create(instrumentation, matcher, sites);
        } catch (RuntimeException | LinkageError e) {
            filter.abandon();
            throw e;
        }
        filter.ready(transformer, this::retransformWhenLoaded);
        step.accept("transformer");
        Set<String> missed = filter.missed();
        List<Class<?>> affected = new ArrayList<>();
        RuleMatcher current = matcher.get();
        LoadedRuleTypes related = new LoadedRuleTypes(current);
        Class<?>[] loadedClasses = instrumentation.getAllLoadedClasses();
        for (Class<?> loaded : loadedClasses) {
            if ((attached || missed.contains(loaded.getName().replace('.', '/'))) && applies(related, current, loaded)) {
                affected.add(loaded);
            }
        }
        step.accept("scan of " + loadedClasses.length + " loaded classes");
        retransform(affected, attached ? "applied the rules to" : "applied the rules to classes loaded before the"
                + " agent was ready:");
        step.accept("retransformation of " + affected.size() + " classes");
    }

    /**
     * Retransforms the loaded classes whose instrumentation differs between the two matchers: a method
     * gained or lost a rule. A change of TTL, key or evict list changes no class and retransforms none.
     */
    public void retransform(RuleMatcher before, RuleMatcher after) {
        List<Class<?>> affected = new ArrayList<>();
        LoadedRuleTypes related = new LoadedRuleTypes(before, after);
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (!modifiable(loaded) || !related(related, loaded)) {
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
        retransform(affected, "re-applied the rules to");
    }

    /** Removes every transformation: each instrumented method gets its original code back. */
    public void reset() {
        RuleMatcher current = matcher.get();
        instrumentation.removeTransformer(filter);
        filter.abandon(); // classes waiting for a start that will not finish load unchanged
        List<Class<?>> instrumented = new ArrayList<>();
        LoadedRuleTypes related = new LoadedRuleTypes(current);
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            if (applies(related, current, loaded)) {
                instrumented.add(loaded);
            }
        }
        retransform(instrumented, "restored the original code of");
    }

    /** Whether rules apply to the class; the cheap tests first, so that most classes are never described. */
    private boolean applies(LoadedRuleTypes related, RuleMatcher current, Class<?> loaded) {
        if (!modifiable(loaded) || !related(related, loaded)) {
            return false;
        }
        try {
            return !current.match(TypeDescription.ForLoadedType.of(loaded)).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            AgentLog.debug("cannot inspect " + loaded.getName() + ": " + e);
            return false;
        }
    }

    private static boolean related(LoadedRuleTypes related, Class<?> loaded) {
        try {
            return related.leadsToRuleType(loaded);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.debug("cannot inspect " + loaded.getName() + ": " + e);
            return false;
        }
    }

    private boolean modifiable(Class<?> loaded) {
        return instrumentation.isModifiableClass(loaded) && !loaded.isArray() && !loaded.isPrimitive()
                && !RuleTransformers.isIgnored(loaded.getName());
    }

    private void retransform(List<Class<?>> affected, String done) {
        for (int from = 0; from < affected.size(); from += RETRANSFORM_BATCH) {
            List<Class<?>> batch = affected.subList(from, Math.min(affected.size(), from + RETRANSFORM_BATCH));
            try {
                instrumentation.retransformClasses(batch.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                AgentLog.error("cannot retransform " + batch.size() + " class(es)", e);
            }
        }
        if (!affected.isEmpty()) {
            AgentLog.info(done + " " + affected.size() + " loaded class(es)");
        }
    }

    /**
     * Retransforms a class that was just defined without all of its advice, as soon as it shows up among
     * the loaded classes (the transformer runs before the JVM defines the class, so it cannot do it itself).
     */
    private void retransformWhenLoaded(ClassLoader loader, String internalName) {
        String name = internalName.replace('/', '.');
        ScheduledExecutorService executor;
        synchronized (this) {
            if (reweaver == null) {
                reweaver = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "cache-aside-reweave");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            executor = reweaver;
        }
        executor.schedule(new Runnable() {
            private int attempts;

            @Override
            public void run() {
                for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
                    if (loaded.getName().equals(name) && loaded.getClassLoader() == loader) {
                        retransform(java.util.Collections.<Class<?>>singletonList(loaded), "re-applied the rules to");
                        return;
                    }
                }
                if (++attempts < REWEAVE_ATTEMPTS) {
                    executor.schedule(this, 20, TimeUnit.MILLISECONDS);
                } else {
                    AgentLog.warn(name + " did not show up among the loaded classes; the rules it was defined"
                            + " without stay unapplied until the next reload");
                }
            }
        }, 0, TimeUnit.MILLISECONDS);
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
}
