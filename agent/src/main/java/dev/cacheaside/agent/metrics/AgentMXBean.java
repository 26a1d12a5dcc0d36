package dev.cacheaside.agent.metrics;

/**
 * The agent as a whole, {@code cache-aside:type=Agent}: what {@code attach PID --status} and
 * {@code stats PID} read through the JVM's local JMX connector, together with the rules' MBeans,
 * without loading anything into the application.
 */
public interface AgentMXBean {

    String getVersion();

    /** The config file in force. */
    String getConfigFile();

    /** Whether edits of the config file are applied while the application runs. */
    boolean isReload();

    /** Where Redis is, without credentials. */
    String getRedis();

    boolean isRedisAvailable();

    /** The names of the rules in force: cache rules first, then evict rules, each in config order. */
    String[] getRules();

    /** How many instrumented methods the agent knows in class loaders still alive; stays flat across redeploys. */
    int getSites();

    /**
     * The report {@code attach PID conf} prints once the agent is loaded, rendered by the agent itself: it
     * travels over JMX, so no file is shared between the command and a JVM with a /tmp of its own.
     */
    String getStatus();
}
