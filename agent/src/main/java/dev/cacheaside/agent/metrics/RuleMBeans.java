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
import java.util.Set;

/**
 * Keeps one MBean registered per rule in force. Called from the agent's own thread, never from premain:
 * touching the platform MBean server while the JVM starts breaks applications that install their own
 * (JBoss's log manager, for one).
 */
public final class RuleMBeans {

    private final StatsRegistry stats;
    private final Set<ObjectName> registered = new HashSet<>();

    public RuleMBeans(StatsRegistry stats) {
        this.stats = stats;
    }

    /** Registers the rules of these settings and unregisters those no longer in them. */
    public synchronized void update(AgentSettings settings) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> wanted = new HashSet<>();
        for (CacheRule rule : settings.cacheRules().values()) {
            register(server, wanted, rule.name(), new RuleMetrics("cache", rule.method().toString(),
                    stats.forRule(rule.name())));
        }
        for (EvictRule rule : settings.evictRules().values()) {
            register(server, wanted, rule.name(), new RuleMetrics("evict", rule.method().toString(),
                    stats.forRule(rule.name())));
        }
        for (ObjectName name : registered) {
            if (!wanted.contains(name)) {
                unregister(server, name);
            }
        }
        registered.clear();
        registered.addAll(wanted);
    }

    /** Unregisters every rule's MBean. */
    public synchronized void clear() {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        registered.forEach(name -> unregister(server, name));
        registered.clear();
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
