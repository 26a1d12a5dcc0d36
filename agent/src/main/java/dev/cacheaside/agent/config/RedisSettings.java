package dev.cacheaside.agent.config;

import java.time.Duration;
import java.util.List;

/** Where and how the agent talks to Redis. */
public final class RedisSettings {

    private final RedisUri uri;
    private final List<String> clusterNodes;
    private final String sentinelMaster;
    private final List<String> sentinelNodes;
    private final String user;
    private final String password;
    private final TlsSettings tls;
    private final Duration timeout;
    private final int poolSize;
    private final Duration retryInterval;

    RedisSettings(RedisUri uri, List<String> clusterNodes, String sentinelMaster, List<String> sentinelNodes,
                  String user, String password, TlsSettings tls, Duration timeout, int poolSize,
                  Duration retryInterval) {
        this.uri = uri;
        this.clusterNodes = clusterNodes;
        this.sentinelMaster = sentinelMaster;
        this.sentinelNodes = sentinelNodes;
        this.user = user;
        this.password = password;
        this.tls = tls;
        this.timeout = timeout;
        this.poolSize = poolSize;
        this.retryInterval = retryInterval;
    }

    public RedisUri uri() {
        return uri;
    }

    /** Seed nodes of a Redis Cluster as host:port; empty for a single server or Sentinel. */
    public List<String> clusterNodes() {
        return clusterNodes;
    }

    /** The Sentinel master name, or null when Sentinel is not used. */
    public String sentinelMaster() {
        return sentinelMaster;
    }

    public List<String> sentinelNodes() {
        return sentinelNodes;
    }

    /** The user, from {@code redis.user} or else the URI; null for the default user. */
    public String user() {
        return user;
    }

    /** The password, from {@code redis.password} or else the URI; never log it. */
    public String password() {
        return password;
    }

    public TlsSettings tls() {
        return tls;
    }

    public Duration timeout() {
        return timeout;
    }

    public int poolSize() {
        return poolSize;
    }

    public Duration retryInterval() {
        return retryInterval;
    }

    /** Where the agent connects, for logs: never with the password. */
    public String describe() {
        if (!clusterNodes.isEmpty()) {
            return "cluster " + clusterNodes;
        }
        if (sentinelMaster != null) {
            return "sentinel master '" + sentinelMaster + "' via " + sentinelNodes;
        }
        return uri.toString();
    }

    /** Trust and key stores for {@code rediss://}; null paths use the JVM's defaults. */
    public static final class TlsSettings {
        private final String trustStore;
        private final String trustStorePassword;
        private final String keyStore;
        private final String keyStorePassword;
        private final boolean verifyHostname;

        TlsSettings(String trustStore, String trustStorePassword, String keyStore, String keyStorePassword,
                    boolean verifyHostname) {
            this.trustStore = trustStore;
            this.trustStorePassword = trustStorePassword;
            this.keyStore = keyStore;
            this.keyStorePassword = keyStorePassword;
            this.verifyHostname = verifyHostname;
        }

        /** Whether the server's certificate must name the host connected to, as HTTPS checks it. */
        public boolean verifyHostname() {
            return verifyHostname;
        }

        public String trustStore() {
            return trustStore;
        }

        public String trustStorePassword() {
            return trustStorePassword;
        }

        public String keyStore() {
            return keyStore;
        }

        public String keyStorePassword() {
            return keyStorePassword;
        }

        public boolean isCustom() {
            return trustStore != null || keyStore != null;
        }
    }
}
