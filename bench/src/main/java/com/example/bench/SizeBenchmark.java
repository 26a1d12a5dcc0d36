package com.example.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** How a hit's cost grows with the value: the agent, hand-written, and a bare GET, at 100 B, 10 KB, 1 MB. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SizeBenchmark {

    @Param({"100", "10000", "1000000"})
    public int bytes;

    private Catalog catalog;
    private JedisPooled jedis;
    private HandWrittenCache handWritten;
    private byte[] agentKey;
    private String handKey;
    private java.util.function.LongFunction<Product> method;

    @Setup(Level.Trial)
    public void setUp() {
        HostAndPort redis = HostAndPort.from(System.getProperty("bench.redis", "127.0.0.1:6379"));
        catalog = new Catalog();
        jedis = new JedisPooled(redis.getHost(), redis.getPort());
        handWritten = new HandWrittenCache(jedis, new ObjectMapper());
        handKey = "hand-sized:" + bytes;
        agentKey = ("cache-aside:bench:sized:1:" + bytes).getBytes(StandardCharsets.UTF_8);
        method = id -> catalog.findSized(id, bytes);
        catalog.findSized(1, bytes);
        handWritten.get(handKey, 1, method, 3600);
        if (jedis.get(agentKey) == null) {
            throw new IllegalStateException("the agent stored nothing for " + bytes + " bytes");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        jedis.close();
    }

    @Benchmark
    public Product agentHit() {
        return catalog.findSized(1, bytes);
    }

    @Benchmark
    public Product handWrittenHit() {
        return handWritten.get(handKey, 1, method, 3600);
    }

    @Benchmark
    public byte[] bareGet() {
        return jedis.get(agentKey);
    }
}
