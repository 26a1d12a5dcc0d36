package dev.cacheaside.agent.config;

/** Where the optional Prometheus text endpoint listens; port 0 keeps it off. */
public final class PrometheusSettings {

    private final String host;
    private final int port;

    PrometheusSettings(String host, int port) {
        this.host = host;
        this.port = port;
    }

    public boolean enabled() {
        return port > 0;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** host:port, or "off". */
    public String describe() {
        return enabled() ? host + ":" + port : "off";
    }
}
