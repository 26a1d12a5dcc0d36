package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.AgentSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The agent's MBean: reads the settings in force and Redis's state on every attribute access. */
public final class AgentMetrics implements AgentMXBean {

    private final Supplier<AgentSettings> settings;
    private final Supplier<String> configFile;
    private final BooleanSupplier redisAvailable;
    private final IntSupplier sites;
    private final Supplier<String> status;

    public AgentMetrics(Supplier<AgentSettings> settings, Supplier<String> configFile, BooleanSupplier redisAvailable,
                        IntSupplier sites, Supplier<String> status) {
        this.sites = sites;
        this.status = status;
        this.settings = settings;
        this.configFile = configFile;
        this.redisAvailable = redisAvailable;
    }

    @Override
    public String getVersion() {
        String version = AgentMetrics.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    @Override
    public String getConfigFile() {
        return configFile.get();
    }

    @Override
    public boolean isReload() {
        return settings.get().reload();
    }

    @Override
    public String getRedis() {
        return settings.get().redis().describe();
    }

    @Override
    public boolean isRedisAvailable() {
        return redisAvailable.getAsBoolean();
    }

    @Override
    public String[] getRules() {
        AgentSettings current = settings.get();
        List<String> names = new ArrayList<String>(current.cacheRules().keySet());
        names.addAll(current.evictRules().keySet());
        return names.toArray(new String[0]);
    }

    @Override
    public int getSites() {
        return sites.getAsInt();
    }

    @Override
    public String getStatus() {
        return status.get();
    }
}
