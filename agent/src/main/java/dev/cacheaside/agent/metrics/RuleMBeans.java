package dev.cacheaside.agent.metrics;

import dev.cacheaside.agent.config.AgentSettings;
import dev.cacheaside.agent.config.CacheRule;
import dev.cacheaside.agent.config.EvictRule;
import dev.cacheaside.agent.log.AgentLog;
import dev.cacheaside.agent.runtime.StatsRegistry;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps one MBean registered per rule in force. Called from the agent's own thread, never from premain:
 * touching the platform MBean server while the JVM starts breaks applications that install their own
 * (JBoss's log manager, for one).
 */
public final class RuleMBeans {

    /** The name of the agent's MBean. */
    public static final String AGENT_NAME = "cache-aside:type=Agent";

    private final StatsRegistry stats;
    private final Set<ObjectName> registered = new HashSet<>();
    private ObjectName agent;

    public RuleMBeans(StatsRegistry stats) {
        this.stats = stats;
    }

    /** Registers the rules of these settings and unregisters those no longer in them. */
    public synchronized void update(AgentSettings settings) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> wanted = new HashSet<>();
        for (CacheRule rule : settings.cacheRules().values()) {
            register(server, wanted, rule.name(), new RuleMetrics("cache", rule.method().toString(),
                    definition(rule), rule.metrics(), stats.forRule(rule.name())));
        }
        for (EvictRule rule : settings.evictRules().values()) {
            register(server, wanted, rule.name(), new RuleMetrics("evict", rule.method().toString(),
                    "keys=" + rule.keys() + " caches=" + rule.caches(), true, stats.forRule(rule.name())));
        }
        for (ObjectName name : registered) {
            if (!wanted.contains(name)) {
                unregister(server, name);
            }
        }
        registered.clear();
        registered.addAll(wanted);
    }

    /** Registers the agent's own MBean, {@code cache-aside:type=Agent}. */
    public synchronized void registerAgent(AgentMXBean metrics) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(AGENT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(metrics, name);
            agent = name;
        } catch (JMException | RuntimeException e) {
            AgentLog.warn("cannot register the agent's MBean: " + AgentLog.describe(e));
        }
    }

    /** Unregisters every rule's MBean and the agent's. */
    public synchronized void clear() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        registered.forEach(name -> unregister(server, name));
        registered.clear();
        if (agent != null) {
            unregister(server, agent);
            agent = null;
        }
    }

    private static String definition(CacheRule rule) {
        long ttl = rule.ttl().toMillis();
        String mode = rule.mode().name().equals("CACHE") ? "" : " mode=" + rule.mode().name().toLowerCase(Locale.ROOT);
        String unit = ttl % 3_600_000 == 0 ? ttl / 3_600_000 + "h" : ttl % 60_000 == 0 ? ttl / 60_000 + "m"
                : ttl % 1000 == 0 ? ttl / 1000 + "s" : ttl + "ms";
        return "key=" + rule.key() + " ttl=" + unit + mode;
    }

    /** {@code cache-aside:type=Rule,name=<rule>}, the name quoted only when it holds JMX's special characters. */
    public static ObjectName nameOf(String rule) throws JMException {
        String value = rule.matches("[A-Za-z0-9_.-]+") ? rule : ObjectName.quote(rule);
        return new ObjectName("cache-aside:type=Rule,name=" + value);
    }

    private static void register(MBeanServer server, Set<ObjectName> wanted, String rule, RuleMetrics metrics) {
        try {
            ObjectName name = nameOf(rule);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(metrics, name);
            wanted.add(name);
        } catch (InstanceAlreadyExistsException | InstanceNotFoundException e) {
            AgentLog.debug("MBean of rule '" + rule + "' raced another registration: " + e);
        } catch (JMException | RuntimeException e) {
            AgentLog.warn("cannot register the MBean of rule '" + rule + "': " + AgentLog.describe(e));
        }
    }

    private static void unregister(MBeanServer server, ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (JMException | RuntimeException ignored) {
            // gone already
        }
    }
}
