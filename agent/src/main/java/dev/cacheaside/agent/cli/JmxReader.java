package dev.cacheaside.agent.cli;

import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the agent's counters from a running JVM through that JVM's local JMX connector, so that
 * {@code stats PID} and {@code attach PID --status} load nothing into it and print nothing into its
 * output (loading an agent makes JDK 21+ warn on the application's stderr). The attach API only asks the
 * JVM to start its local management agent, which has existed since Java 8; the counters come from the
 * MBeans the agent registers: {@code cache-aside:type=Agent} and one {@code cache-aside:type=Rule,name=...}
 * per rule.
 */
final class JmxReader {

    private static final String AGENT = "cache-aside:type=Agent";
    private static final String NOT_ACTIVE =
            "cache-aside agent: not active in this JVM (not started, disabled, or its config was invalid)\n";
    private static final String[] RULE_ATTRIBUTES = {"Kind", "Method", "Definition", "Metrics", "State", "OffReason",
            "Hits", "Misses", "HitRatio", "Stores", "Evictions", "Errors", "HitLatencyP50Micros",
            "HitLatencyP99Micros", "MethodLatencyP50Micros", "MethodLatencyP99Micros", "Refreshes", "RefreshFailures",
            "StaleServes", "BulkPartialHits", "Audits", "AuditMismatches", "WindowAudits", "StaleRatio",
            "ShadowReason"};

    private JmxReader() {
    }

    /** The text of {@code attach PID --status}: the agent, Redis, every rule with its counters and state. */
    static String status(long pid) throws CommandException {
        return read(pid, false);
    }

    /** The text of {@code stats PID}: counters and latency percentiles per rule. */
    static String stats(long pid) throws CommandException {
        return read(pid, true);
    }

    /**
     * The report the agent renders of itself ({@code Status} of its MBean), read over JMX rather than through a
     * file, which a JVM with a /tmp of its own (systemd's PrivateTmp, another container) could not share; waits
     * up to {@code waitMillis} for the MBean of an agent that has just been loaded.
     */
    static String agentStatus(long pid, long waitMillis) throws CommandException {
        String address = localConnectorAddress(pid);
        JMXConnector connector = null;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName agentName = new ObjectName(AGENT);
            long deadline = System.currentTimeMillis() + waitMillis;
            while (true) {
                try {
                    return (String) server.getAttribute(agentName, "Status");
                } catch (InstanceNotFoundException e) {
                    if (System.currentTimeMillis() >= deadline) {
                        return NOT_ACTIVE;
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while reading the status of PID " + pid);
        } catch (IOException | JMException | RuntimeException e) {
            throw new CommandException("cannot read the status of PID " + pid + " over JMX: " + e);
        } finally {
            if (connector != null) {
                try {
                    connector.close();
                } catch (IOException ignored) {
                    // the report is read; nothing is left to release on our side
                }
            }
        }
    }

    private static String read(long pid, boolean latencies) throws CommandException {
        String address = localConnectorAddress(pid);
        JMXConnector connector = null;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName agentName = new ObjectName(AGENT);
            if (!server.isRegistered(agentName)) {
                return NOT_ACTIVE;
            }
            Map<String, Object> agent = attributes(server, agentName,
                    new String[]{"ConfigFile", "Reload", "Redis", "RedisAvailable", "Rules"});
            List<Map<String, Object>> rules = new ArrayList<Map<String, Object>>();
            for (String rule : (String[]) agent.get("Rules")) {
                try {
                    Map<String, Object> values = attributes(server, ruleName(rule), RULE_ATTRIBUTES);
                    values.put("Name", rule);
                    rules.add(values);
                } catch (InstanceNotFoundException e) {
                    // registered a moment later, after a reload: left out of this report
                }
            }
            return latencies ? statsText(rules) : statusText(agent, rules);
        } catch (InstanceNotFoundException e) {
            return NOT_ACTIVE;
        } catch (IOException | JMException | RuntimeException e) {
            throw new CommandException("cannot read the counters of PID " + pid + " over JMX: " + e);
        } finally {
            if (connector != null) {
                try {
                    connector.close();
                } catch (IOException ignored) {
                    // the report is read; nothing is left to release on our side
                }
            }
        }
    }

    /** Starts (or finds) the target's local JMX connector; an agent is not loaded for that. */
    static String localConnectorAddress(long pid) throws CommandException {
        AttachClient client = AttachClient.attach(pid);
        try {
            return client.startLocalManagementAgent();
        } finally {
            client.detach();
        }
    }

    /** {@code cache-aside:type=Rule,name=<rule>}, quoted as the agent registers it. */
    private static ObjectName ruleName(String rule) throws JMException {
        String value = rule.matches("[A-Za-z0-9_.-]+") ? rule : ObjectName.quote(rule);
        return new ObjectName("cache-aside:type=Rule,name=" + value);
    }

    private static Map<String, Object> attributes(MBeanServerConnection server, ObjectName name, String[] names)
            throws JMException, IOException {
        Map<String, Object> values = new LinkedHashMap<String, Object>();
        AttributeList list = server.getAttributes(name, names);
        for (javax.management.Attribute attribute : list.asList()) {
            values.put(attribute.getName(), attribute.getValue());
        }
        return values;
    }

    static String statsText(List<Map<String, Object>> rules) {
        String format = "%-26s %-5s %8s %8s %7s %8s %9s %7s %19s %19s %5s%n";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, format, "RULE", "KIND", "HITS", "MISSES",
                "RATIO", "STORES", "EVICTIONS", "ERRORS", "HIT p50/p99 (us)", "METHOD p50/p99 (ms)", "STATE"));
        for (Map<String, Object> rule : rules) {
            boolean cache = "cache".equals(rule.get("Kind"));
            boolean counted = Boolean.TRUE.equals(rule.get("Metrics"));
            if (!cache) {
                text.append(String.format(Locale.ROOT, format, rule.get("Name"), "evict", "-", "-", "-", "-",
                        rule.get("Evictions"), rule.get("Errors"), "-", "-", rule.get("State")));
            } else if (!counted) {
                text.append(String.format(Locale.ROOT, format, rule.get("Name"), "cache", "-", rule.get("Misses"), "-",
                        rule.get("Stores"), rule.get("Evictions"), rule.get("Errors"), "metrics = false", "-",
                        rule.get("State")));
            } else {
                text.append(String.format(Locale.ROOT, format, rule.get("Name"), "cache", rule.get("Hits"),
                        rule.get("Misses"), percent(rule.get("HitRatio")), rule.get("Stores"), rule.get("Evictions"),
                        rule.get("Errors"),
                        String.format(Locale.ROOT, "%.0f / %.0f", number(rule.get("HitLatencyP50Micros")),
                                number(rule.get("HitLatencyP99Micros"))),
                        String.format(Locale.ROOT, "%.2f / %.2f", number(rule.get("MethodLatencyP50Micros")) / 1e3,
                                number(rule.get("MethodLatencyP99Micros")) / 1e3),
                        rule.get("State")));
            }
        }
        freshness(text, rules);
        audits(text, rules);
        offReasons(text, rules);
        return text.toString();
    }

    /** A line per audited rule: its audits, and the stale-hit ratio of the last 5 minutes. */
    private static void audits(StringBuilder text, List<Map<String, Object>> rules) {
        boolean first = true;
        for (Map<String, Object> rule : rules) {
            double audits = number(rule.get("Audits"));
            if (audits == 0) {
                continue;
            }
            if (first) {
                text.append('\n');
                first = false;
            }
            text.append(String.format(Locale.ROOT, "rule '%s': %.0f audits, %.0f stale; stale-hit ratio %s of the %.0f"
                    + " audits in the last 5 minutes%n", rule.get("Name"), audits, number(rule.get("AuditMismatches")),
                    percent(rule.get("StaleRatio")), number(rule.get("WindowAudits"))));
        }
    }

    /** A line per rule that refreshed ahead or served stale entries: counters only some rules have. */
    private static void freshness(StringBuilder text, List<Map<String, Object>> rules) {
        boolean first = true;
        for (Map<String, Object> rule : rules) {
            double refreshes = number(rule.get("Refreshes"));
            double failures = number(rule.get("RefreshFailures"));
            double stale = number(rule.get("StaleServes"));
            double partial = number(rule.get("BulkPartialHits"));
            if (refreshes + failures + stale + partial == 0) {
                continue;
            }
            if (first) {
                text.append('\n');
                first = false;
            }
            text.append(String.format(Locale.ROOT, "rule '%s': %.0f refreshes ahead (%.0f failed), %.0f stale values"
                    + " served on error, %.0f bulk calls partly served from the cache%n", rule.get("Name"), refreshes,
                    failures, stale, partial));
        }
    }

    static String statusText(Map<String, Object> agent, List<Map<String, Object>> rules) {
        StringBuilder text = new StringBuilder();
        text.append("cache-aside agent: active, config ").append(agent.get("ConfigFile"))
                .append(Boolean.TRUE.equals(agent.get("Reload")) ? " (reload on)" : " (reload off)").append('\n');
        text.append("Redis: ").append(agent.get("Redis")).append(Boolean.TRUE.equals(agent.get("RedisAvailable"))
                ? " (available)" : " (unavailable, calls run uncached)").append('\n');
        String format = "%-26s %-5s %8s %8s %7s %8s %9s %7s %5s%n";
        text.append('\n').append(String.format(Locale.ROOT, format, "RULE", "KIND", "HITS", "MISSES", "RATIO",
                "STORES", "EVICTIONS", "ERRORS", "STATE"));
        for (Map<String, Object> rule : rules) {
            boolean cache = "cache".equals(rule.get("Kind"));
            text.append(String.format(Locale.ROOT, format, rule.get("Name"), rule.get("Kind"),
                    cache ? rule.get("Hits") : "-", cache ? rule.get("Misses") : "-",
                    cache ? percent(rule.get("HitRatio")) : "-", cache ? rule.get("Stores") : "-",
                    rule.get("Evictions"), rule.get("Errors"), rule.get("State")));
        }
        text.append('\n');
        for (Map<String, Object> rule : rules) {
            text.append(String.format(Locale.ROOT, "%-26s %s %s%n", rule.get("Name"), rule.get("Method"),
                    rule.get("Definition")));
        }
        freshness(text, rules);
        audits(text, rules);
        offReasons(text, rules);
        return text.toString();
    }

    /** One line per rule that turned itself off, with its reason. */
    private static void offReasons(StringBuilder text, List<Map<String, Object>> rules) {
        boolean first = true;
        for (Map<String, Object> rule : rules) {
            if ("off".equals(rule.get("State"))) {
                if (first) {
                    text.append('\n');
                    first = false;
                }
                text.append("rule '").append(rule.get("Name")).append("' turned itself off until the config is"
                        + " reloaded: ").append(rule.get("OffReason")).append('\n');
            } else if ("shadow".equals(rule.get("State"))) {
                if (first) {
                    text.append('\n');
                    first = false;
                }
                text.append("rule '").append(rule.get("Name")).append("' switched itself to shadow mode until the"
                        + " config is reloaded: ").append(rule.get("ShadowReason")).append('\n');
            }
        }
    }

    private static String percent(Object ratio) {
        return String.format(Locale.ROOT, "%.1f%%", number(ratio) * 100);
    }

    private static double number(Object value) {
        return value instanceof Number ? ((Number) value).doubleValue() : 0;
    }
}
