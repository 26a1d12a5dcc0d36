package com.example.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every variant of one cache hit (and miss) side by side, in one JVM that runs with the agent: the
 * agent's instrumented method, hand-written cache-aside, Spring's {@code @Cacheable}, a bare GET of the
 * same bytes, and the idle cost of an instrumented method whose rule is off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HitBenchmark {

    static final String AGENT_KEY = "cache-aside:bench:agent:1";

    private final AtomicLong missIds = new AtomicLong();
    private Catalog catalog;
    private JedisPooled jedis;
    private HandWrittenCache handWritten;
    private AnnotationConfigApplicationContext spring;
    private SpringCatalog springCatalog;
    private byte[] agentKey;

    @Setup(Level.Trial)
    public void setUp() {
        HostAndPort redis = HostAndPort.from(System.getProperty("bench.redis", "127.0.0.1:6379"));
        catalog = new Catalog();
        jedis = new JedisPooled(redis.getHost(), redis.getPort());
        handWritten = new HandWrittenCache(jedis, new ObjectMapper());
        spring = SpringSetup.start(redis.getHost(), redis.getPort());
        springCatalog = spring.getBean(SpringCatalog.class);
        agentKey = AGENT_KEY.getBytes(StandardCharsets.UTF_8);
        catalog.findCached(1);
        handWritten.get("hand:1", 1, catalog::findPlain, 3600);
        springCatalog.find(1);
        catalog.findUncounted(1);
        catalog.findNear(1);
        catalog.findNearUncounted(1);
        if (jedis.get(agentKey) == null) {
            throw new IllegalStateException("the agent stored nothing at " + AGENT_KEY + ": is it attached?");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        spring.close();
        jedis.close();
    }

    /** (a) A hit through a method the agent instruments. */
    @Benchmark
    public Product agentHit() {
        return catalog.findCached(1);
    }

    /** (b) The same hit, written by hand. */
    @Benchmark
    public Product handWrittenHit() {
        return handWritten.get("hand:1", 1, catalog::findPlain, 3600);
    }

    /** (c) Spring's {@code @Cacheable} with {@code RedisCacheManager} and a JSON serializer. */
    @Benchmark
    public Product springHit() {
        return springCatalog.find(1);
    }

    /** (a) without counters: the same hit under a rule with {@code metrics = false}. */
    @Benchmark
    public Product agentHitWithoutMetrics() {
        return catalog.findUncounted(1);
    }

    /** A near-cache hit, where the counters' share of the cost is largest. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Product nearHit() {
        return catalog.findNear(1);
    }

    /** The same near-cache hit under a rule with {@code metrics = false}. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Product nearHitWithoutMetrics() {
        return catalog.findNearUncounted(1);
    }

    /** (d) A bare GET of the same bytes: the floor of any Redis-backed hit. */
    @Benchmark
    public byte[] bareGet() {
        return jedis.get(agentKey);
    }

    /** (e) A miss through the agent: lookup, lease, method, store. */
    @Benchmark
    public Product agentMiss() {
        return catalog.findMiss(missIds.incrementAndGet());
    }

    /** (e) A miss written by hand: lookup, method, store. */
    @Benchmark
    public Product handWrittenMiss() {
        long id = missIds.incrementAndGet();
        return handWritten.get("hand-miss:" + id, id, catalog::findPlain, 2);
    }

    /** (f) An instrumented method whose rule is off. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Product idleInstrumented() {
        return catalog.findIdle(1);
    }

    /** (f) The same method without instrumentation. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Product uninstrumented() {
        return catalog.findPlain(1);
    }
}
