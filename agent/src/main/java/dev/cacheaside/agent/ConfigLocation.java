package dev.cacheaside.agent;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the config file is: the agent argument, else {@code -Dcache-aside.config}, else env, else ./agent.conf. */
final class ConfigLocation {

    static final String PROPERTY = "cache-aside.config";
    static final String ENVIRONMENT = "CACHE_ASIDE_CONFIG";

    private ConfigLocation() {
    }

    static Path resolve(String argument) {
        if (argument != null && !argument.trim().isEmpty()) {
            return Paths.get(argument.trim());
        }
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.trim().isEmpty()) {
            return Paths.get(property.trim());
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.trim().isEmpty()) {
            return Paths.get(environment.trim());
        }
        return Paths.get("agent.conf");
    }
}
