package dev.cacheaside.agent.discover;

import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.bridge.DiscoveryBridge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.ProtectionDomain;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One discovery in this JVM: weaves {@link ProbeAdvice} into the candidate methods, ends itself when
 * its time is up (or when the command, {@code attach --disable} or {@link #finish} ends it), then
 * retransforms the classes back, so that every method runs its original code, and keeps the proposed
 * file for the command to fetch over JMX.
 */
public final class DiscoverySession implements DiscoveryMBean {

    static final String MBEAN_NAME = "cache-aside:type=Discovery";
    private static DiscoverySession current;

    private final DiscoveryOptions options;
    private final Instrumentation instrumentation;
    private final ProbeRecorder recorder = new ProbeRecorder();
    private final Set<String> classes = java.util.Collections.synchronizedSet(new HashSet<String>());
    private final ScheduledExecutorService timer;
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private volatile ResettableClassFileTransformer transformer;
    private volatile long endedNanos;
    private volatile String report;
    private volatile boolean restored = true;

    private DiscoverySession(DiscoveryOptions options, Instrumentation instrumentation) {
        this.options = options;
        this.instrumentation = instrumentation;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cache-aside-discover");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts a discovery unless one runs; never throws. */
    public static synchronized void start(String optionText, Instrumentation instrumentation) {
        if (current != null && !current.isFinished()) {
            AgentLog.warn("discover: a discovery already runs in this JVM; it goes on (" + current.getStatus() + ")");
            return;
        }
        DiscoveryOptions options;
        try {
            options = DiscoveryOptions.parse(optionText);
        } catch (IllegalArgumentException e) {
            AgentLog.error("discover: " + e.getMessage() + "; no discovery started");
            return;
        }
        DiscoverySession session = new DiscoverySession(options, instrumentation);
        try {
            session.begin();
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("discover: could not start, the application runs unchanged", e);
            session.end();
            return;
        }
        current = session;
        if (options.out != null) {
            // under -javaagent the application may end first: the file is written on the way out
            Runtime.getRuntime().addShutdownHook(new Thread(session::finish, "cache-aside-discover-end"));
        }
    }

    /** Ends the running discovery, if any, as {@code attach --disable} does. */
    public static synchronized void stopRunning() {
        if (current != null && !current.isFinished()) {
            current.finish();
        }
    }

    private void begin() {
        if (options.out == null) {
            register(); // the command looks for the MBean as soon as the agent is loaded
        } else {
            timer.execute(this::register); // under -javaagent, not in premain: JMX would start logging too early
        }
        DiscoveryBridge.install(recorder);
        Candidates candidates = new Candidates(options.packages);
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(ProbeAdvice.class.getClassLoader());
        transformer = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new ErrorListener())
                .type((ElementMatcher<TypeDescription>) candidates::watchesClass)
                .transform((builder, type, loader, module, domain) -> weave(builder, type, loader, candidates,
                        adviceLocator))
                .assureReadEdgeTo(instrumentation, DiscoveryBridge.class)
                .installOn(instrumentation);
        AgentLog.info("discover: watching " + recorder.methods().size() + " method(s) of " + classes.size()
                + " class(es) " + (options.packages.isEmpty() ? "named like data access or services"
                : "in " + String.join(", ", options.packages)) + " for " + formatMillis(options.durationMillis));
        timer.schedule(this::finish, options.durationMillis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> AgentLog.debug("discover: " + getStatus()), 5, 5, TimeUnit.SECONDS);
    }

    private DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                        Candidates candidates, ClassFileLocator adviceLocator) {
        if (endedNanos != 0) {
            return builder;
        }
        for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
            if (!candidates.watchesMethod(type, method)) {
                continue;
            }
            List<String> parameters = new ArrayList<>();
            for (TypeDescription parameter : method.getParameters().asTypeList().asErasures()) {
                parameters.add(name(parameter));
            }
            int id = recorder.register(loader, type.getName(), method.getName(), method.getDescriptor(), parameters,
                    Candidates.mayBeCached(method), MutatorNames.mayChangeData(method));
            builder = builder.visit(Advice.withCustomMapping().bind(ProbeId.class, id)
                    .to(ProbeAdvice.class, adviceLocator)
                    .on(ElementMatchers.named(method.getName()).and(ElementMatchers.hasDescriptor(method.getDescriptor()))));
            classes.add(type.getName());
        }
        return builder;
    }

    private static String name(TypeDescription type) {
        return type.isArray() ? name(type.getComponentType()) + "[]" : type.getName();
    }

    @Override
    public synchronized String finish() {
        if (report != null) {
            return report;
        }
        endedNanos = System.nanoTime();
        List<Evidence> evidence = evidence(endedNanos);
        end();
        report = new SuggestedConfig(header(), evidence).render();
        AgentLog.info("discover: ended after " + formatMillis(TimeUnit.NANOSECONDS.toMillis(endedNanos - startedNanos))
                + (restored ? "; every watched method has its original code back"
                : "; some watched methods keep calling the discovery bridge, which does nothing now"));
        if (options.out != null) {
            try {
                Files.write(Paths.get(options.out), report.getBytes(StandardCharsets.UTF_8));
                AgentLog.info("discover: wrote the proposed rules to " + options.out);
            } catch (IOException | RuntimeException e) {
                AgentLog.error("discover: cannot write " + options.out + ": " + AgentLog.describe(e));
            }
        }
        return report;
    }

    /** Removes the advice and the probe; the MBean stays, holding the report. */
    private void end() {
        if (endedNanos == 0) {
            endedNanos = System.nanoTime();
        }
        // not shutdownNow: finish() runs on the timer's own thread when the time is up, and an interrupted
        // thread must not be the one that retransforms the classes back
        timer.shutdown();
        DiscoveryBridge.install(null);
        ResettableClassFileTransformer installed = transformer;
        if (installed == null) {
            return;
        }
        RestoreListener listener = new RestoreListener();
        if (!installed.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100), listener)) {
            AgentLog.warn("discover: the watching transformer was already removed; classes it wove keep calling"
                    + " the discovery bridge, which does nothing now");
            restored = false;
        } else {
            restored = listener.failed == 0;
        }
    }

    private List<Evidence> evidence(long now) {
        List<Evidence> all = new ArrayList<>();
        for (WatchedMethod method : recorder.methods()) {
            all.add(method.evidence(now - startedNanos));
        }
        return all;
    }

    private String header() {
        return "# Proposed by cache-aside-agent discover in " + ManagementFactory.getRuntimeMXBean().getName()
                + " from " + startedAt + ", watching " + recorder.methods().size() + " method(s) of " + classes.size()
                + " class(es) for " + formatMillis(TimeUnit.NANOSECONDS.toMillis(endedNanos - startedNanos)) + ".\n";
    }

    @Override
    public String getStatus() {
        long now = endedNanos != 0 ? endedNanos : System.nanoTime();
        long calls = 0;
        int readers = 0;
        Evidence top = null;
        for (Evidence each : evidence(now)) {
            calls += each.calls;
            if (each.method.cacheable && !each.method.mutatorLike && each.calls > 0) {
                readers++;
                if (top == null || each.savedNanosPerSecond() > top.savedNanosPerSecond()) {
                    top = each;
                }
            }
        }
        return (endedNanos != 0 ? "finished after " : "")
                + formatMillis(TimeUnit.NANOSECONDS.toMillis(now - startedNanos)) + " of "
                + formatMillis(options.durationMillis) + ": " + recorder.methods().size() + " method(s) in "
                + classes.size() + " class(es) watched, " + calls + " call(s), " + readers + " read method(s) called"
                + (top == null ? "" : "; top: " + top.method.shortSpec() + " " + SuggestedConfig.rate(top.callsPerSecond())
                + " calls/s, p50 " + SuggestedConfig.duration(top.p50Nanos));
    }

    @Override
    public boolean isFinished() {
        return report != null;
    }

    @Override
    public boolean isRestored() {
        return restored;
    }

    @Override
    public String getReport() {
        return report;
    }

    private void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(this, DiscoveryMBean.class), name);
        } catch (javax.management.JMException | RuntimeException e) {
            AgentLog.warn("discover: cannot register " + MBEAN_NAME + " (" + AgentLog.describe(e)
                    + "); the command cannot follow this discovery");
        }
    }

    static String formatMillis(long millis) {
        long seconds = TimeUnit.MILLISECONDS.toSeconds(millis);
        return seconds >= 60 ? seconds / 60 + "m " + String.format("%02ds", seconds % 60) : seconds + "s";
    }

    /** Reports classes whose retransformation back failed: reset() itself only says whether it ran. */
    private static final class RestoreListener extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
        int failed;

        @Override
        public Iterable<? extends List<Class<?>>> onError(int index, List<Class<?>> batch, Throwable throwable,
                                                           List<Class<?>> types) {
            failed += batch.size();
            AgentLog.warn("discover: could not give " + batch.size() + " class(es) their original code back ("
                    + AgentLog.describe(throwable) + "); they keep calling the discovery bridge, which does nothing now");
            return java.util.Collections.emptyList();
        }
    }

    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            AgentLog.debug("discover: could not watch " + typeName + ", it runs unchanged: "
                    + AgentLog.describe(throwable));
        }
    }
}
