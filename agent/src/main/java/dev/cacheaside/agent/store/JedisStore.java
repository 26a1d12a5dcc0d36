package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.RedisSettings;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * {@link CacheStore} on Jedis: a pooled client for one server, {@link JedisCluster} for a cluster,
 * {@link JedisSentineled} behind Sentinel.
 *
 * <p>Time. A cluster or Sentinel client is made by {@link #ping}, which the agent calls only from its own thread
 * (the start-up check and the breaker's probe), and made again there after a failure to make it, since it cannot
 * be built while its nodes are down; building one may take seconds against a frozen node, so an application call
 * never does it and runs uncached meanwhile. A single server's client connects lazily and is made on first use.
 * An application call waits for a pooled connection at most {@link #borrowWaitMillis} (a quarter of
 * {@code timeout}, at most 50 ms); on a single server one operation then waits for replies at most
 * {@code timeout} in all, a new connection's check and every read of a dripping reply included
 * ({@link WaitBudget}); a cluster's redirections and retries end when {@code timeout} has passed.
 * A pool with every connection in use is back-pressure ({@link StoreException#isBackPressure}), not an outage.
 */
public final class JedisStore implements CacheStore {

    private static final int SCAN_BATCH = 500;
    private static final long MAX_BORROW_WAIT_MILLIS = 50;
    private static final int CLUSTER_ATTEMPTS = 3;
    private static final int SLOTS = 16384;
    private static final LuaScript REPLACE_IF_EQUALS = new LuaScript("if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end");
    /** PTTL first: a nil GET would end the Lua table, and the reply with it. */
    private static final LuaScript GET_WITH_TTL = new LuaScript("return {redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[1])}");
    private static final LuaScript DELETE_IF_EQUALS = new LuaScript("if redis.call('GET', KEYS[1]) == ARGV[1] then "
            + "return redis.call('DEL', KEYS[1]) else return 0 end");

    /** Redis before 7.0 refuses {@code SET NX GET}; the same step, taken after a plain GET found nothing. */
    private static final LuaScript GET_OR_SET_IF_ABSENT = new LuaScript("local found = redis.call('GET', KEYS[1]) "
            + "if found then return found end "
            + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return false");

    private final RedisSettings settings;
    /** Whether the server takes {@code SET NX GET}: unknown (null) until the first try. */
    private volatile Boolean setNxGet;
    private final JedisClientConfig clientConfig;
    /** How long one operation on a single server may wait for Redis's replies in all. */
    private final long operationNanos;
    private volatile UnifiedJedis client;
    /** The slot table of the cluster client, which the health probe renews; null unless a cluster. */
    private volatile ClusterConnectionProvider clusterSlots;

    public JedisStore(RedisSettings settings) throws StoreException {
        this.settings = settings;
        this.operationNanos = settings.timeout().toNanos();
        this.clientConfig = clientConfig(settings);
    }

    private static JedisClientConfig clientConfig(RedisSettings settings) throws StoreException {
        int timeout = (int) Math.max(1, settings.timeout().toMillis());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .blockingSocketTimeoutMillis(timeout)
                .clientName("cache-aside-agent")
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .user(settings.user())
                .password(settings.password())
                .database(settings.uri().database())
                .ssl(settings.uri().tls());
        if (settings.uri().tls() && settings.tls().isCustom()) {
            builder.sslSocketFactory(TlsSocketFactory.create(settings.tls()));
        }
        if (settings.uri().tls() && settings.tls().verifyHostname()) {
            builder.sslParameters(TlsSocketFactory.verifyingHostname());
        }
        return builder.build();
    }

    private ConnectionPoolConfig poolConfig() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(borrowWaitMillis(settings)));
        pool.setJmxEnabled(false);
        pool.setTestWhileIdle(false);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return pool;
    }

    /** How long an application call waits for a pooled connection before it runs uncached. */
    static long borrowWaitMillis(RedisSettings settings) {
        return Math.max(1, Math.min(settings.timeout().toMillis() / 4, MAX_BORROW_WAIT_MILLIS));
    }

    /**
     * The client for a command. A single server's client connects lazily, so it is made here when missing; a
     * cluster's or Sentinel's connects while it is made, so it is never made on an application's thread.
     */
    private UnifiedJedis client() throws StoreException {
        WaitBudget.start(operationNanos);
        UnifiedJedis current = client;
        if (current != null) {
            return current;
        }
        if (settings.clusterNodes().isEmpty() && settings.sentinelMaster() == null) {
            return madeClient();
        }
        throw StoreException.backPressure("the client of " + describe() + " is still being made; the call runs"
                + " uncached", null);
    }

    private UnifiedJedis madeClient() throws StoreException {
        UnifiedJedis current = client;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (client == null) {
                try {
                    client = newClient();
                } catch (RuntimeException e) {
                    throw translate("connect to " + describe(), e);
                }
            }
            return client;
        }
    }

    private UnifiedJedis newClient() {
        if (!settings.clusterNodes().isEmpty()) {
            ClusterConnectionProvider provider = new ClusterConnectionProvider(hostPorts(settings.clusterNodes()),
                    clientConfig, poolConfig());
            clusterSlots = provider;
            // redirections and retries end with the call's time, not after CLUSTER_ATTEMPTS socket timeouts
            return new JedisCluster(provider, CLUSTER_ATTEMPTS, settings.timeout());
        }
        if (settings.sentinelMaster() != null) {
            JedisClientConfig sentinelConfig = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis((int) settings.timeout().toMillis())
                    .socketTimeoutMillis((int) settings.timeout().toMillis())
                    .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                    .build();
            return new JedisSentineled(settings.sentinelMaster(), clientConfig, poolConfig(),
                    hostPorts(settings.sentinelNodes()), sentinelConfig);
        }
        HostAndPort address = new HostAndPort(settings.uri().host(), settings.uri().port());
        return new JedisPooled(poolConfig(), new VerifyingSocketFactory(address, clientConfig), clientConfig);
    }

    private static Set<HostAndPort> hostPorts(List<String> nodes) {
        Set<HostAndPort> set = new LinkedHashSet<>();
        for (String node : nodes) {
            set.add(HostAndPort.from(node));
        }
        return set;
    }

    @Override
    public byte[] get(String key) throws StoreException {
        try {
            return client().get(bytes(key));
        } catch (RuntimeException e) {
            throw translate("GET", e);
        }
    }

    @Override
    public List<byte[]> getAll(List<String> keys) throws StoreException {
        try {
            UnifiedJedis jedis = client();
            if (jedis instanceof JedisCluster) {
                // MGET must stay in one slot; each key of a bulk read hashes on its own
                List<byte[]> values = new ArrayList<byte[]>(keys.size());
                for (String key : keys) {
                    values.add(jedis.get(bytes(key)));
                }
                return values;
            }
            byte[][] raw = new byte[keys.size()][];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = bytes(keys.get(i));
            }
            return jedis.mget(raw);
        } catch (RuntimeException e) {
            throw translate("MGET", e);
        }
    }

    @Override
    public StoredEntry getWithTtl(String key) throws StoreException {
        Object reply;
        try {
            reply = GET_WITH_TTL.call(client(), Collections.singletonList(bytes(key)), Collections.<byte[]>emptyList());
        } catch (RuntimeException e) {
            throw translate("EVAL get-with-ttl", e);
        }
        if (!(reply instanceof List) || ((List<?>) reply).isEmpty() || !(((List<?>) reply).get(0) instanceof Long)) {
            throw new StoreException("EVAL get-with-ttl: unexpected reply " + reply, null, false);
        }
        List<?> parts = (List<?>) reply;
        Object value = parts.size() > 1 ? parts.get(1) : null;
        if (value != null && !(value instanceof byte[])) {
            throw new StoreException("EVAL get-with-ttl: the key holds no string", null, false);
        }
        return new StoredEntry((byte[]) value, value == null ? -2 : (Long) parts.get(0));
    }

    @Override
    public long remainingTtlMillis(String key) throws StoreException {
        try {
            return client().pttl(bytes(key));
        } catch (RuntimeException e) {
            throw translate("PTTL", e);
        }
    }

    @Override
    public void set(String key, byte[] value, long ttlMillis) throws StoreException {
        try {
            client().set(bytes(key), value, SetParams.setParams().px(ttlMillis));
        } catch (RuntimeException e) {
            throw translate("SET", e);
        }
    }

    @Override
    public boolean setIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
        try {
            return "OK".equals(client().set(bytes(key), value, SetParams.setParams().nx().px(ttlMillis)));
        } catch (RuntimeException e) {
            throw translate("SET NX", e);
        }
    }

    /** True until the server refuses {@code SET NX GET}. */
    @Override
    public boolean looksUpWithLease() {
        return !Boolean.FALSE.equals(setNxGet);
    }

    /**
     * {@code SET key value NX PX ttl GET}: a hit costs what a GET does, and a miss leaves with its lease in the
     * same round trip. A server that refuses the form (before 7.0) gets a GET, then, after a miss, one script.
     */
    @Override
    public byte[] getOrSetIfAbsent(String key, byte[] value, long ttlMillis) throws StoreException {
        byte[] rawKey = bytes(key);
        if (!Boolean.FALSE.equals(setNxGet)) {
            try {
                byte[] found = client().setGet(rawKey, value, SetParams.setParams().nx().px(ttlMillis));
                setNxGet = Boolean.TRUE;
                return found;
            } catch (JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("ERR syntax error")) {
                    throw translate("SET NX GET", e);
                }
                // concurrent first calls all land here; each falls back, as every later one does
                setNxGet = Boolean.FALSE;
            } catch (RuntimeException e) {
                throw translate("SET NX GET", e);
            }
        }
        byte[] found = get(key);
        if (found != null) {
            return found;
        }
        try {
            Object reply = GET_OR_SET_IF_ABSENT.call(client(), Collections.singletonList(rawKey),
                    Arrays.asList(value, String.valueOf(ttlMillis).getBytes(StandardCharsets.US_ASCII)));
            if (reply != null && !(reply instanceof byte[])) {
                throw new StoreException("EVAL get-or-set: unexpected reply " + reply, null, false);
            }
            return (byte[]) reply;
        } catch (RuntimeException e) {
            throw translate("EVAL get-or-set", e);
        }
    }

    @Override
    public boolean replaceIfEquals(String key, byte[] expected, byte[] value, long ttlMillis) throws StoreException {
        try {
            Object replaced = REPLACE_IF_EQUALS.call(client(), Collections.singletonList(bytes(key)),
                    Arrays.asList(expected, value, String.valueOf(ttlMillis).getBytes(StandardCharsets.US_ASCII)));
            return Long.valueOf(1).equals(replaced);
        } catch (RuntimeException e) {
            throw translate("EVAL replace", e);
        }
    }

    @Override
    public void deleteIfEquals(String key, byte[] expected) throws StoreException {
        try {
            DELETE_IF_EQUALS.call(client(), Collections.singletonList(bytes(key)), Collections.singletonList(expected));
        } catch (RuntimeException e) {
            throw translate("EVAL delete", e);
        }
    }

    @Override
    public void delete(Collection<String> keys) throws StoreException {
        if (keys.isEmpty()) {
            return;
        }
        try {
            UnifiedJedis jedis = client();
            if (jedis instanceof JedisCluster && keys.size() > 1) {
                // keys of one call hash to different slots, and DEL of several keys must stay in one slot
                for (String key : keys) {
                    jedis.del(key);
                }
            } else {
                jedis.del(keys.toArray(new String[0]));
            }
        } catch (RuntimeException e) {
            throw translate("DEL", e);
        }
    }

    @Override
    public long deleteMatching(String pattern) throws StoreException {
        try {
            UnifiedJedis jedis = client();
            if (!(jedis instanceof JedisCluster)) {
                return deleteMatching(jedis, pattern, operationNanos);
            }
            long deleted = 0;
            for (Map.Entry<String, ConnectionPool> node : ((JedisCluster) jedis).getClusterNodes().entrySet()) {
                try (Connection connection = node.getValue().getResource(); Jedis nodeClient = new Jedis(connection)) {
                    if (nodeClient.role().get(0).toString().equals("master")) {
                        deleted += deleteMatchingOnNode(nodeClient, pattern);
                    }
                }
            }
            return deleted;
        } catch (RuntimeException e) {
            throw translate("SCAN/UNLINK " + pattern, e);
        }
    }

    private static long deleteMatching(UnifiedJedis jedis, String pattern, long batchNanos) {
        ScanParams params = new ScanParams().match(pattern).count(SCAN_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            // a drop of many keys takes many batches: each batch, not the whole drop, may wait the timeout
            WaitBudget.start(batchNanos);
            ScanResult<String> page = jedis.scan(cursor, params);
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                deleted += jedis.unlink(keys.toArray(new String[0]));
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    private static long deleteMatchingOnNode(Jedis node, String pattern) {
        ScanParams params = new ScanParams().match(pattern).count(SCAN_BATCH);
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            ScanResult<String> page = node.scan(cursor, params);
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                Pipeline pipeline = node.pipelined();
                List<redis.clients.jedis.Response<Long>> replies = new ArrayList<>(keys.size());
                for (String key : keys) {
                    replies.add(pipeline.unlink(key));
                }
                pipeline.sync();
                for (redis.clients.jedis.Response<Long> reply : replies) {
                    deleted += reply.get();
                }
            }
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return deleted;
    }

    @Override
    public void ping() throws StoreException {
        WaitBudget.start(operationNanos);
        try {
            UnifiedJedis jedis = madeClient();
            ClusterConnectionProvider provider = clusterSlots;
            if (jedis instanceof JedisCluster && provider != null) {
                pingCluster(provider);
            } else {
                jedis.ping();
                WaitBudget.start(operationNanos);
                learnSetNxGet(() -> jedis.info("server"));
            }
        } catch (RuntimeException e) {
            throw translate("PING", e);
        }
    }

    /** Learns from the server's version, before the application's first call tries, whether it takes SET NX GET. */
    private void learnSetNxGet(java.util.function.Supplier<String> info) {
        String serverInfo;
        try {
            serverInfo = info.get();
        } catch (RuntimeException refused) {
            return; // INFO may be denied to the agent's user; the first lookup learns instead
        }
        for (String line : serverInfo.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String version = line.substring("redis_version:".length()).trim();
                int dot = version.indexOf('.');
                try {
                    setNxGet = Integer.parseInt(dot < 0 ? version : version.substring(0, dot)) >= 7;
                } catch (NumberFormatException unknown) {
                    // the first lookup tries the command and learns from its answer
                }
                return;
            }
        }
    }

    /**
     * A cluster is usable when the client's slot table, renewed first, gives every slot a master, and every one
     * of those masters answers and says all slots are served. Any one node's {@code cluster_state:ok} is not
     * enough: in the node timeout after a master dies the others still say ok, and until Jedis renews its slot
     * table, which it does only after failed commands, keys of the promoted replica's slots still go to the dead
     * master, so the circuit would close and open again.
     */
    private void pingCluster(ClusterConnectionProvider provider) {
        provider.renewSlotCache();
        Set<HostAndPort> masters = new LinkedHashSet<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            HostAndPort master = provider.getNode(slot);
            if (master == null) {
                throw new JedisClusterStateException("slot " + slot + " has no master");
            }
            masters.add(master);
        }
        for (HostAndPort master : masters) {
            try (Connection connection = provider.getConnection(master); Jedis node = new Jedis(connection)) {
                if (setNxGet == null) {
                    learnSetNxGet(() -> node.info("server"));
                }
                if (!node.clusterInfo().contains("cluster_state:ok")) {
                    throw new JedisClusterStateException("cluster state is not ok at " + master + " (slots unassigned,"
                            + " or a master down without a replica to take over)");
                }
            }
        }
    }

    /** The cluster as a whole cannot serve every key. */
    private static final class JedisClusterStateException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JedisClusterStateException(String message) {
            super(message);
        }
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public synchronized void close() {
        UnifiedJedis current = client;
        client = null;
        clusterSlots = null;
        if (current != null) {
            try {
                current.close();
            } catch (RuntimeException ignored) {
                // closing a broken pool: nothing left to release
            }
        }
    }

    private StoreException translate(String operation, RuntimeException e) {
        if (isPoolExhausted(e)) {
            return StoreException.backPressure(operation + " on " + describe() + ": all " + settings.poolSize()
                    + " pooled connections stayed in use for " + borrowWaitMillis(settings) + " ms (redis.pool-size);"
                    + " the call runs uncached", e);
        }
        boolean unavailable = !(e instanceof JedisDataException) || e instanceof JedisAccessControlException
                || isServerUnusable(e.getMessage());
        String hint = TlsSocketFactory.hostnameHint(e);
        String message = operation + " on " + describe() + " failed: " + (hint != null ? hint + ": " : "")
                + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new StoreException(message, e, unavailable);
    }

    /** The pool had no free connection within its wait; a failure to connect is not this. */
    private static boolean isPoolExhausted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NoSuchElementException && cause.getMessage() != null
                    && (cause.getMessage().startsWith("Timeout waiting for idle object")
                    || cause.getMessage().startsWith("Pool exhausted"))) {
                return true;
            }
        }
        return false;
    }

    /** Server errors that hold for every command, not just this one. */
    private static boolean isServerUnusable(String message) {
        return message != null && (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS")
                || message.startsWith("LOADING") || message.startsWith("CLUSTERDOWN")
                || message.startsWith("MASTERDOWN") || message.startsWith("READONLY") || message.startsWith("OOM")
                || message.startsWith("MISCONF"));
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
