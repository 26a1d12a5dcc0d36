package dev.cacheaside.agent.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.cacheaside.agent.log.AgentLog;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads one agent.conf: the file over the agent's reference.conf, under {@code -Dcache-aside.*} system
 * properties. Collects every problem; a problem in a rule leaves that rule out, a problem anywhere else
 * makes the whole config unusable ({@link InvalidConfigException}).
 */
final class SettingsReader {

    static final String ROOT = "cache-aside";
    private static final String REFERENCE = "dev/cacheaside/agent/reference.conf";
    private static final long MAX_VALUE_SIZE_LIMIT = 512L * 1024 * 1024;

    private final Path file;
    private final List<ConfigProblem> globalProblems = new ArrayList<>();
    private final List<ConfigProblem> ruleProblems = new ArrayList<>();
    private final List<String> skippedRules = new ArrayList<>();

    SettingsReader(Path file) {
        this.file = file;
    }

    AgentSettings read() throws InvalidConfigException {
        Config parsed = parseFile();
        ConfigObject fileRoot = KnownKeys.objectAt(parsed.root(), ROOT, ROOT, globalProblems);
        if (fileRoot == null && globalProblems.isEmpty()) {
            throw new InvalidConfigException(file + ": has no '" + ROOT + " { ... }' block", Collections.emptyList());
        }
        Config merged = resolve(systemPropertyOverrides().withFallback(parsed).withFallback(reference()));
        Config root = merged.getConfig(ROOT);
        ConfigObject rootObject = root.root();

        KnownKeys.check(rootObject, ROOT, KnownKeys.TOP, globalProblems);
        boolean enabled = read(root, "enabled", globalProblems, c -> c.getBoolean("enabled"));
        String keyPrefix = read(root, "key-prefix", globalProblems, c -> c.getString("key-prefix"));
        boolean reload = read(root, "reload", globalProblems, c -> c.getBoolean("reload"));
        AgentLog.Level logLevel = read(root, "log-level", globalProblems, c -> {
            String text = c.getString("log-level");
            try {
                return AgentLog.Level.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue("log-level").origin(), "log-level",
                        "must be error, warn, info or debug, was '" + text + "'");
            }
        });
        Duration statsInterval = duration(root, "stats-interval", ROOT + ".stats-interval", true, globalProblems);
        RedisSettings redis = readRedis(root, rootObject);
        PrometheusSettings prometheus = readPrometheus(root, rootObject);

        Config defaults = root.getConfig("defaults");
        ConfigObject defaultsObject = KnownKeys.objectAt(rootObject, "defaults", ROOT, globalProblems);
        if (defaultsObject != null) {
            KnownKeys.check(defaultsObject, ROOT + ".defaults", KnownKeys.RULE_DEFAULTS, globalProblems);
            readOptions(defaults, ROOT + ".defaults", globalProblems);
        }
        if (!globalProblems.isEmpty()) {
            throw new InvalidConfigException(file + ": " + globalProblems.size() + " error(s) outside the rules",
                    globalProblems);
        }

        Map<String, CacheRule> cacheRules = readCacheRules(root, rootObject, defaults);
        Map<String, EvictRule> evictRules = readEvictRules(root, rootObject, cacheRules);
        dropDuplicateMethods(cacheRules, evictRules);
        return new AgentSettings(file, sourceFiles(parsed), enabled, keyPrefix, reload, logLevel, statsInterval,
                redis, prometheus, cacheRules, evictRules, ruleProblems, skippedRules);
    }

    private Config parseFile() throws InvalidConfigException {
        if (!Files.exists(file)) {
            throw new InvalidConfigException(file + ": config file not found", Collections.emptyList());
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidConfigException(file + ": config file cannot be read", Collections.emptyList());
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), options().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage(), Collections.emptyList());
        }
    }

    private static Config reference() {
        return ConfigFactory.parseResources(SettingsReader.class.getClassLoader(), REFERENCE,
                options().setAllowMissing(false));
    }

    private static ConfigParseOptions options() {
        return ConfigParseOptions.defaults().setClassLoader(SettingsReader.class.getClassLoader());
    }

    private Config resolve(Config config) throws InvalidConfigException {
        try {
            return config.resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage(), Collections.emptyList());
        }
    }

    /** {@code -Dcache-aside.x=y} overrides, without {@code cache-aside.config} (which names the file). */
    private static Config systemPropertyOverrides() {
        // Typesafe Config caches system properties; a reload must see the ones set since
        ConfigFactory.invalidateCaches();
        Config properties = ConfigFactory.systemProperties();
        if (!properties.hasPath(ROOT) || properties.getValue(ROOT).valueType() != ConfigValueType.OBJECT) {
            return ConfigFactory.empty();
        }
        return properties.withOnlyPath(ROOT).withoutPath(ROOT + ".config");
    }

    private PrometheusSettings readPrometheus(Config root, ConfigObject rootObject) {
        String path = ROOT + ".prometheus";
        ConfigObject object = KnownKeys.objectAt(rootObject, "prometheus", ROOT, globalProblems);
        if (object == null) {
            return null;
        }
        KnownKeys.check(object, path, KnownKeys.PROMETHEUS, globalProblems);
        Config prometheus = root.getConfig("prometheus");
        String host = read(prometheus, "host", path, globalProblems, c -> c.getString("host"));
        Integer port = read(prometheus, "port", path, globalProblems, c -> {
            int number = c.getInt("port");
            if (number < 0 || number > 65535) {
                throw new ConfigException.BadValue(c.getValue("port").origin(), "port",
                        "must be 0 (off) or a TCP port up to 65535, was " + number);
            }
            return number;
        });
        return host == null || port == null ? null : new PrometheusSettings(host, port);
    }

    private RedisSettings readRedis(Config root, ConfigObject rootObject) {
        ConfigObject redisObject = KnownKeys.objectAt(rootObject, "redis", ROOT, globalProblems);
        if (redisObject == null) {
            return null;
        }
        String path = ROOT + ".redis";
        KnownKeys.check(redisObject, path, KnownKeys.REDIS, globalProblems);
        Config redis = root.getConfig("redis");
        RedisUri uri = read(redis, "uri", path, globalProblems, c -> {
            try {
                return RedisUri.parse(c.getString("uri"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue("uri").origin(), "uri", e.getMessage());
            }
        });
        List<String> clusterNodes = redis.hasPath("cluster-nodes")
                ? hostPorts(redis, "cluster-nodes", path + ".cluster-nodes") : Collections.emptyList();
        String sentinelMaster = null;
        List<String> sentinelNodes = Collections.emptyList();
        ConfigObject sentinelObject = KnownKeys.objectAt(redisObject, "sentinel", path, globalProblems);
        if (sentinelObject != null) {
            KnownKeys.check(sentinelObject, path + ".sentinel", KnownKeys.SENTINEL, globalProblems);
            Config sentinel = redis.getConfig("sentinel");
            sentinelMaster = read(sentinel, "master", path + ".sentinel", globalProblems, c -> c.getString("master"));
            sentinelNodes = hostPorts(sentinel, "nodes", path + ".sentinel.nodes");
        }
        if (!clusterNodes.isEmpty() && sentinelMaster != null) {
            globalProblems.add(ConfigProblem.error(redisObject.origin(), path,
                    "set either cluster-nodes or sentinel, not both"));
        }
        String user = optionalString(redis, "user", path);
        String password = optionalString(redis, "password", path);
        // reference.conf always has redis.tls; this stands only for a tls that is not an object (reported above)
        RedisSettings.TlsSettings tls = new RedisSettings.TlsSettings(null, null, null, null, true);
        ConfigObject tlsObject = KnownKeys.objectAt(redisObject, "tls", path, globalProblems);
        if (tlsObject != null) {
            KnownKeys.check(tlsObject, path + ".tls", KnownKeys.TLS, globalProblems);
            Config tlsConfig = redis.getConfig("tls");
            String tlsPath = path + ".tls";
            Boolean verifyHostname = read(tlsConfig, "verify-hostname", tlsPath, globalProblems,
                    c -> c.getBoolean("verify-hostname"));
            tls = new RedisSettings.TlsSettings(optionalString(tlsConfig, "trust-store", tlsPath),
                    optionalString(tlsConfig, "trust-store-password", tlsPath),
                    optionalString(tlsConfig, "key-store", tlsPath),
                    optionalString(tlsConfig, "key-store-password", tlsPath),
                    verifyHostname == null || verifyHostname);
        }
        Duration timeout = duration(redis, "timeout", path + ".timeout", false, globalProblems);
        Integer poolSize = read(redis, "pool-size", path, globalProblems, c -> {
            int size = c.getInt("pool-size");
            if (size < 1 || size > 1024) {
                throw new ConfigException.BadValue(c.getValue("pool-size").origin(), "pool-size",
                        "must be 1 to 1024, was " + size);
            }
            return size;
        });
        Duration retryInterval = duration(redis, "retry-interval", path + ".retry-interval", false, globalProblems);
        if (uri == null || timeout == null || poolSize == null || retryInterval == null) {
            return null;
        }
        return new RedisSettings(uri, clusterNodes, sentinelMaster, sentinelNodes,
                user != null ? user : uri.user(), password != null ? password : uri.password(), tls,
                timeout, poolSize, retryInterval);
    }

    private List<String> hostPorts(Config config, String key, String path) {
        List<String> nodes = read(config, key, globalProblems, c -> c.getStringList(key));
        if (nodes == null) {
            return Collections.emptyList();
        }
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            boolean valid = colon > 0 && colon < node.length() - 1;
            if (valid) {
                try {
                    int port = Integer.parseInt(node.substring(colon + 1));
                    valid = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            if (!valid) {
                globalProblems.add(ConfigProblem.error(config.getValue(key).origin(), path,
                        "each node must be host:port, was '" + RedisUri.mask(node) + "'"));
            }
        }
        return nodes;
    }

    private String optionalString(Config config, String key, String path) {
        if (!config.hasPath(key)) {
            return null;
        }
        return read(config, key, path, globalProblems, c -> c.getString(key));
    }

    private Map<String, CacheRule> readCacheRules(Config root, ConfigObject rootObject, Config defaults) {
        Map<String, CacheRule> rules = new TreeMap<>();
        ConfigObject cacheObject = KnownKeys.objectAt(rootObject, "cache", ROOT, ruleProblems);
        if (cacheObject == null) {
            return rules;
        }
        for (String name : new TreeMap<>(cacheObject).keySet()) {
            String path = ROOT + ".cache." + quote(name);
            ConfigObject ruleObject = KnownKeys.objectAt(cacheObject, name, ROOT + ".cache", ruleProblems);
            if (ruleObject == null) {
                continue;
            }
            List<ConfigProblem> problems = new ArrayList<>();
            KnownKeys.check(ruleObject, path, KnownKeys.CACHE_RULE, problems);
            Config rule = ruleObject.toConfig().withFallback(defaults);
            MethodSpec method = method(rule, ruleObject, path, problems);
            BulkSettings bulk = readBulk(rule, path, problems);
            KeyTemplate key = bulk != null ? bulk.elementKey() : read(rule, "key", path, problems, c -> c.hasPath("key")
                    ? template(c, "key", c.getString("key")) : KeyTemplate.parse(name + ":{args}"));
            RuleOptions options = readOptions(rule, path, problems);
            if (options != null && options.staleLimit != null && options.auditRate == 0
                    && ruleObject.containsKey("max-stale-ratio")) {
                problems.add(ConfigProblem.warning(ruleObject.get("max-stale-ratio").origin(),
                        path + ".max-stale-ratio", "has no effect while audit-rate is 0: the ratio is taken over"
                                + " audited hits; set audit-rate, e.g. 0.01"));
            }
            if (method != null && key != null) {
                checkTemplate(key, method, false, rule.hasPath("key") ? rule.getValue("key").origin()
                        : ruleObject.origin(), path + ".key", problems);
            }
            ruleProblems.addAll(problems);
            if (hasErrors(problems) || method == null || key == null || options == null) {
                skippedRules.add("cache." + name);
                continue;
            }
            rules.put(name, new CacheRule(name, method, key, options.ttl, options.ttlJitter, options.cacheNulls,
                    options.maxValueSize, options.mode, options.auditRate, options.nearCache, options.lease,
                    options.metrics, options.freshness, bulk, options.staleLimit,
                    ConfigProblem.describe(ruleObject.origin())));
        }
        return rules;
    }

    private Map<String, EvictRule> readEvictRules(Config root, ConfigObject rootObject,
                                                  Map<String, CacheRule> cacheRules) {
        Map<String, EvictRule> rules = new TreeMap<>();
        ConfigObject evictObject = KnownKeys.objectAt(rootObject, "evict", ROOT, ruleProblems);
        if (evictObject == null) {
            return rules;
        }
        for (String name : new TreeMap<>(evictObject).keySet()) {
            String path = ROOT + ".evict." + quote(name);
            ConfigObject ruleObject = KnownKeys.objectAt(evictObject, name, ROOT + ".evict", ruleProblems);
            if (ruleObject == null) {
                continue;
            }
            List<ConfigProblem> problems = new ArrayList<>();
            KnownKeys.check(ruleObject, path, KnownKeys.EVICT_RULE, problems);
            Config rule = ruleObject.toConfig();
            MethodSpec method = method(rule, ruleObject, path, problems);
            List<KeyTemplate> keys = new ArrayList<>();
            if (rule.hasPath("keys")) {
                List<String> sources = read(rule, "keys", path, problems, c -> c.getStringList("keys"));
                ConfigOrigin origin = rule.getValue("keys").origin();
                for (String source : sources == null ? Collections.<String>emptyList() : sources) {
                    try {
                        KeyTemplate template = KeyTemplate.parse(source);
                        keys.add(template);
                        if (method != null) {
                            checkTemplate(template, method, true, origin, path + ".keys", problems);
                        }
                    } catch (IllegalArgumentException e) {
                        problems.add(ConfigProblem.error(origin, path + ".keys", e.getMessage()));
                    }
                }
            }
            List<String> caches = new ArrayList<>();
            if (rule.hasPath("caches")) {
                List<String> names = read(rule, "caches", path, problems, c -> c.getStringList("caches"));
                for (String cache : names == null ? Collections.<String>emptyList() : names) {
                    if (cacheRules.containsKey(cache)) {
                        caches.add(cache);
                    } else {
                        String hint = KnownKeys.nearest(cache, cacheRules.keySet());
                        // a valid evict rule still evicts its other keys and caches: dropping it would leave stale data
                        ruleProblems.add(ConfigProblem.error(rule.getValue("caches").origin(), path + ".caches",
                                "no cache rule named '" + cache + "'" + (hint == null ? "" : ", did you mean '"
                                        + hint + "'?") + " The rule evicts its other keys and caches."));
                    }
                }
            }
            Duration repeatAfter = rule.hasPath("repeat-after")
                    ? duration(rule, "repeat-after", path + ".repeat-after", true, problems) : Duration.ZERO;
            if (keys.isEmpty() && caches.isEmpty() && !rule.hasPath("caches")) {
                problems.add(ConfigProblem.error(ruleObject.origin(), path,
                        "an evict rule needs 'keys' or 'caches' (or both)"));
            }
            ruleProblems.addAll(problems);
            if (hasErrors(problems) || method == null || repeatAfter == null) {
                skippedRules.add("evict." + name);
                continue;
            }
            rules.put(name, new EvictRule(name, method, Collections.unmodifiableList(keys),
                    Collections.unmodifiableList(caches), repeatAfter, ConfigProblem.describe(ruleObject.origin())));
        }
        return rules;
    }

    /** One method, one rule: a later rule (in file order) naming the same method is an error and left out. */
    private void dropDuplicateMethods(Map<String, CacheRule> cacheRules, Map<String, EvictRule> evictRules) {
        List<Object[]> all = new ArrayList<>();
        cacheRules.values().forEach(rule -> all.add(new Object[] {rule.origin(), rule.method(), "cache." + rule.name()}));
        evictRules.values().forEach(rule -> all.add(new Object[] {rule.origin(), rule.method(), "evict." + rule.name()}));
        all.sort(Comparator.comparing((Object[] rule) -> fileOf((String) rule[0]))
                .thenComparingInt(rule -> lineOf((String) rule[0])));
        Map<MethodSpec, String> owners = new HashMap<>();
        for (Object[] rule : all) {
            String name = (String) rule[2];
            if (isDuplicate(owners, (MethodSpec) rule[1], name, (String) rule[0])) {
                if (name.startsWith("cache.")) {
                    cacheRules.remove(name.substring(6));
                } else {
                    evictRules.remove(name.substring(6));
                }
            }
        }
    }

    private static String fileOf(String origin) {
        int colon = origin.lastIndexOf(": ");
        return colon < 0 ? origin : origin.substring(0, colon);
    }

    private static int lineOf(String origin) {
        try {
            return Integer.parseInt(origin.substring(origin.lastIndexOf(": ") + 2));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private boolean isDuplicate(Map<MethodSpec, String> owners, MethodSpec method, String rule, String origin) {
        String owner = owners.putIfAbsent(method, rule);
        if (owner == null) {
            return false;
        }
        ruleProblems.add(new ConfigProblem(origin, ROOT + "." + rule + ".method",
                "method " + method + " already has rule '" + owner + "'", false));
        skippedRules.add(rule);
        return true;
    }

    private MethodSpec method(Config rule, ConfigObject ruleObject, String path, List<ConfigProblem> problems) {
        if (!rule.hasPath("method")) {
            problems.add(ConfigProblem.error(ruleObject.origin(), path + ".method",
                    "missing: every rule names its method as \"fully.qualified.Type#method(ParamType, ...)\""));
            return null;
        }
        return read(rule, "method", path, problems, c -> {
            try {
                return MethodSpec.parse(c.getString("method"));
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue("method").origin(), "method", e.getMessage());
            }
        });
    }

    /** A bulk rule's keys, or null for a rule of single calls (or one whose bulk keys are wrong: a problem). */
    private static BulkSettings readBulk(Config rule, String path, List<ConfigProblem> problems) {
        boolean hasResultKey = rule.hasPath("result-key");
        String key = rule.hasPath("key") && rule.getValue("key").valueType() == ConfigValueType.STRING
                ? rule.getString("key") : null;
        if (key == null || !BulkSettings.isBulk(key)) {
            if (hasResultKey) {
                problems.add(ConfigProblem.error(rule.getValue("result-key").origin(), path + ".result-key",
                        "result-key belongs to bulk rules, whose key names each element of an argument, such as"
                                + " \"user:{0[*]}\""));
            }
            return null;
        }
        return read(rule, "key", path, problems, c -> {
            try {
                return BulkSettings.parse(key, hasResultKey ? c.getString("result-key") : null);
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue(hasResultKey && e.getMessage().startsWith("result-key")
                        ? "result-key" : "key").origin(), "key", e.getMessage());
            }
        });
    }

    private static KeyTemplate template(Config config, String key, String source) {
        try {
            return KeyTemplate.parse(source);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), key, e.getMessage());
        }
    }

    private static void checkTemplate(KeyTemplate template, MethodSpec method, boolean allowResult,
                                      ConfigOrigin origin, String path, List<ConfigProblem> problems) {
        if (template.usesResult() && !allowResult) {
            problems.add(ConfigProblem.error(origin, path, "'{result...}' is for evict rules only, in '"
                    + template + "'"));
        }
        int highest = template.highestArgumentIndex();
        if (!method.anyParameters() && highest >= method.parameterTypes().size()) {
            problems.add(ConfigProblem.error(origin, path, "'{" + highest + "}' names argument " + highest + " but "
                    + method + " has " + method.parameterTypes().size() + " parameter(s) (arguments count from 0)"));
        }
    }

    /** The rule keys that may also stand in defaults. */
    private static final class RuleOptions {
        Duration ttl;
        double ttlJitter;
        boolean cacheNulls;
        long maxValueSize;
        CacheMode mode;
        double auditRate;
        NearCacheSettings nearCache;
        LeaseSettings lease;
        boolean metrics;
        FreshnessSettings freshness;
        StaleLimit staleLimit;
    }

    private RuleOptions readOptions(Config config, String path, List<ConfigProblem> problems) {
        int before = problems.size();
        RuleOptions options = new RuleOptions();
        options.ttl = duration(config, "ttl", path + ".ttl", false, problems);
        Double jitter = read(config, "ttl-jitter", path, problems, c -> fraction(c, "ttl-jitter", true));
        Boolean cacheNulls = read(config, "cache-nulls", path, problems, c -> c.getBoolean("cache-nulls"));
        Long maxValueSize = read(config, "max-value-size", path, problems, c -> {
            long bytes = c.getBytes("max-value-size");
            if (bytes < 1 || bytes > MAX_VALUE_SIZE_LIMIT) {
                throw new ConfigException.BadValue(c.getValue("max-value-size").origin(), "max-value-size",
                        "must be 1B to 512MiB, was '" + c.getValue("max-value-size").unwrapped() + "'");
            }
            return bytes;
        });
        options.mode = read(config, "mode", path, problems, c -> {
            String text = c.getString("mode");
            try {
                return CacheMode.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue("mode").origin(), "mode",
                        "must be cache, shadow or off, was '" + text + "'");
            }
        });
        Double auditRate = read(config, "audit-rate", path, problems, c -> fraction(c, "audit-rate", false));
        // NaN stands for none here: read() reports a problem with null
        Double maxStaleRatio = read(config, "max-stale-ratio", path, problems, c -> c.hasPath("max-stale-ratio")
                && !"none".equals(c.getValue("max-stale-ratio").unwrapped())
                ? fraction(c, "max-stale-ratio", false) : Double.NaN);
        StaleLimit.Action onStale = read(config, "on-stale", path, problems, c -> {
            String text = c.getString("on-stale");
            try {
                return StaleLimit.Action.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException.BadValue(c.getValue("on-stale").origin(), "on-stale",
                        "must be log or shadow, was '" + text + "'");
            }
        });
        options.nearCache = readNearCache(config, path, problems);
        Boolean lease = read(config, "lease", path, problems, c -> c.getBoolean("lease"));
        Boolean metrics = read(config, "metrics", path, problems, c -> c.getBoolean("metrics"));
        Duration leaseTtl = duration(config, "lease-ttl", path + ".lease-ttl", false, problems);
        Duration leaseWait = duration(config, "lease-wait", path + ".lease-wait", true, problems);
        if (lease != null && leaseTtl != null && leaseWait != null) {
            options.lease = new LeaseSettings(lease, leaseTtl, leaseWait);
        }
        Double refreshAhead = read(config, "refresh-ahead", path, problems, c -> {
            double fraction = fraction(c, "refresh-ahead", true);
            if (fraction >= 1) {
                throw new ConfigException.BadValue(c.getValue("refresh-ahead").origin(), "refresh-ahead",
                        "must be below 100% (the share of the TTL before its end in which a hit refreshes), was '"
                                + c.getValue("refresh-ahead").unwrapped() + "'");
            }
            return fraction;
        });
        Duration refreshStopAfter = duration(config, "refresh-stop-after", path + ".refresh-stop-after", false,
                problems);
        Duration staleIfError = duration(config, "stale-if-error", path + ".stale-if-error", true, problems);
        if (refreshAhead != null && refreshStopAfter != null && staleIfError != null) {
            options.freshness = new FreshnessSettings(refreshAhead, refreshStopAfter, staleIfError);
        }
        if (problems.size() > before || options.lease == null || options.freshness == null || jitter == null || cacheNulls == null || maxValueSize == null
                || auditRate == null || metrics == null || options.ttl == null || maxStaleRatio == null
                || onStale == null) {
            return null;
        }
        options.staleLimit = maxStaleRatio.isNaN() ? null : new StaleLimit(maxStaleRatio, onStale);
        options.ttlJitter = jitter;
        options.cacheNulls = cacheNulls;
        options.maxValueSize = maxValueSize;
        options.auditRate = auditRate;
        options.metrics = metrics;
        return options;
    }

    private NearCacheSettings readNearCache(Config config, String path, List<ConfigProblem> problems) {
        String nearPath = path + ".near-cache";
        ConfigObject object = KnownKeys.objectAt(config.root(), "near-cache", path, problems);
        if (object == null) {
            return null;
        }
        KnownKeys.check(object, nearPath, KnownKeys.NEAR_CACHE, problems);
        Config near = config.getConfig("near-cache");
        Boolean enabled = read(near, "enabled", nearPath, problems, c -> c.getBoolean("enabled"));
        Integer maxEntries = read(near, "max-entries", nearPath, problems, c -> {
            int entries = c.getInt("max-entries");
            if (entries < 1) {
                throw new ConfigException.BadValue(c.getValue("max-entries").origin(), "max-entries",
                        "must be positive, was " + entries);
            }
            return entries;
        });
        Duration ttl = duration(near, "ttl", nearPath + ".ttl", false, problems);
        if (enabled == null || maxEntries == null || ttl == null) {
            return null;
        }
        return new NearCacheSettings(enabled, maxEntries, ttl);
    }

    /** "10%" or 0.1; a percentage must be written with its sign so that "10" is not read as 1000%. */
    private static double fraction(Config config, String key, boolean percentWritten) {
        ConfigValue value = config.getValue(key);
        double fraction;
        if (value.valueType() == ConfigValueType.NUMBER) {
            fraction = ((Number) value.unwrapped()).doubleValue();
        } else {
            String text = config.getString(key).trim();
            try {
                fraction = text.endsWith("%")
                        ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100
                        : Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new ConfigException.BadValue(value.origin(), key, "must be a fraction such as "
                        + (percentWritten ? "'10%'" : "0.01 or '1%'") + ", was '" + text + "'");
            }
        }
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new ConfigException.BadValue(value.origin(), key, "must be between 0% and 100% (0 to 1), was '"
                    + value.unwrapped() + "'");
        }
        return fraction;
    }

    private static Duration duration(Config config, String key, String path, boolean allowZero,
                                     List<ConfigProblem> problems) {
        return read(config, key, parentOf(path), problems, c -> {
            Duration duration = c.getDuration(key);
            if (duration.isNegative() || (!allowZero && duration.isZero())) {
                throw new ConfigException.BadValue(c.getValue(key).origin(), key,
                        "must be " + (allowZero ? "zero or positive" : "positive") + ", was '"
                                + c.getValue(key).unwrapped() + "'");
            }
            return duration;
        });
    }

    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    private static <T> T read(Config config, String key, List<ConfigProblem> problems, Function<Config, T> reader) {
        return read(config, key, ROOT, problems, reader);
    }

    /** Runs one read, turning Typesafe Config's exception into a located problem. */
    private static <T> T read(Config config, String key, String parentPath, List<ConfigProblem> problems,
                              Function<Config, T> reader) {
        try {
            return reader.apply(config);
        } catch (ConfigException e) {
            ConfigOrigin origin = e.origin() != null ? e.origin()
                    : config.hasPath(key) ? config.getValue(key).origin() : config.origin();
            problems.add(ConfigProblem.error(origin, parentPath + "." + key, stripOrigin(e, origin)));
            return null;
        }
    }

    private static String stripOrigin(ConfigException e, ConfigOrigin origin) {
        String message = e.getMessage();
        String prefix = origin.description() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        if (e instanceof ConfigException.BadValue) {
            int colon = message.indexOf("': ");
            if (message.startsWith("Invalid value at '") && colon > 0) {
                message = message.substring(colon + 3);
            }
        }
        return message;
    }

    private static boolean hasErrors(List<ConfigProblem> problems) {
        return problems.stream().anyMatch(problem -> !problem.isWarning());
    }

    private static String quote(String name) {
        return name.matches("[A-Za-z0-9_-]+") ? name : "\"" + name + "\"";
    }

    /** The file and every file it includes, from the origins of its values. */
    private Set<Path> sourceFiles(Config parsed) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(file.toAbsolutePath().normalize());
        collectFiles(parsed.root(), files);
        return files;
    }

    private static void collectFiles(ConfigValue value, Set<Path> files) {
        ConfigOrigin origin = value.origin();
        if (origin != null) {
            if (origin.filename() != null) {
                files.add(Paths.get(origin.filename()).toAbsolutePath().normalize());
            } else if (origin.url() != null && "file".equals(origin.url().getProtocol())) {
                addUrl(origin.url(), files);
            }
        }
        if (value instanceof ConfigObject) {
            for (ConfigValue child : ((ConfigObject) value).values()) {
                collectFiles(child, files);
            }
        } else if (value instanceof ConfigList) {
            for (ConfigValue child : (ConfigList) value) {
                collectFiles(child, files);
            }
        }
    }

    private static void addUrl(URL url, Set<Path> files) {
        try {
            files.add(new File(url.toURI()).toPath().toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException ignored) {
            // not a local file: nothing to watch
        }
    }
}
