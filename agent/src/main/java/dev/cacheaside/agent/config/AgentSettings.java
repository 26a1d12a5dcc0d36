package dev.cacheaside.agent.config;

import dev.cacheaside.agent.log.AgentLog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything agent.conf says, read and validated once; the rules that had errors are left out. */
public final class AgentSettings {

    private final Path file;
    private final Set<Path> sourceFiles;
    private final boolean enabled;
    private final String keyPrefix;
    private final boolean reload;
    private final AgentLog.Level logLevel;
    private final Duration statsInterval;
    private final RedisSettings redis;
    private final PrometheusSettings prometheus;
    private final Map<String, CacheRule> cacheRules;
    private final Map<String, EvictRule> evictRules;
    private final List<ConfigProblem> problems;
    private final List<String> skippedRules;

    AgentSettings(Path file, Set<Path> sourceFiles, boolean enabled, String keyPrefix, boolean reload,
                  AgentLog.Level logLevel, Duration statsInterval, RedisSettings redis, PrometheusSettings prometheus,
                  Map<String, CacheRule> cacheRules, Map<String, EvictRule> evictRules, List<ConfigProblem> problems, List<String> skippedRules) {
        this.file = file;
        this.sourceFiles = Collections.unmodifiableSet(sourceFiles);
        this.enabled = enabled;
        this.keyPrefix = keyPrefix;
        this.reload = reload;
        this.logLevel = logLevel;
        this.statsInterval = statsInterval;
        this.redis = redis;
        this.prometheus = prometheus;
        this.cacheRules = Collections.unmodifiableMap(cacheRules);
        this.evictRules = Collections.unmodifiableMap(evictRules);
        this.problems = Collections.unmodifiableList(problems);
        this.skippedRules = Collections.unmodifiableList(skippedRules);
    }

    /** The same settings with no rules: what a disabled agent applies. */
    public AgentSettings withoutRules() {
        return new AgentSettings(file, sourceFiles, false, keyPrefix, reload, logLevel, statsInterval, redis, prometheus,
                Collections.emptyMap(), Collections.emptyMap(), problems, skippedRules);
    }

    /** Reads a config file; see {@link SettingsReader}. */
    public static AgentSettings load(Path file) throws InvalidConfigException {
        return new SettingsReader(file).read();
    }

    public Path file() {
        return file;
    }

    /** The config file and every file it includes, for the reload watcher. */
    public Set<Path> sourceFiles() {
        return sourceFiles;
    }

    public boolean enabled() {
        return enabled;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public boolean reload() {
        return reload;
    }

    public AgentLog.Level logLevel() {
        return logLevel;
    }

    public Duration statsInterval() {
        return statsInterval;
    }

    public RedisSettings redis() {
        return redis;
    }

    public PrometheusSettings prometheus() {
        return prometheus;
    }

    /** Valid cache rules by name, in name order. */
    public Map<String, CacheRule> cacheRules() {
        return cacheRules;
    }

    /** Valid evict rules by name, in name order. */
    public Map<String, EvictRule> evictRules() {
        return evictRules;
    }

    /** Errors (their rules were left out) and warnings, in file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Rules left out because of errors, as "cache.name" or "evict.name". */
    public List<String> skippedRules() {
        return skippedRules;
    }

    public List<ConfigProblem> errors() {
        return problems.stream().filter(problem -> !problem.isWarning()).collect(Collectors.toList());
    }
}
