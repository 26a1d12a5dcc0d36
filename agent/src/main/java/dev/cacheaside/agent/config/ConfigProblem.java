package dev.cacheaside.agent.config;

import com.typesafe.config.ConfigOrigin;

/** One thing wrong with the config, located by file, line and path, in Typesafe Config's style. */
public final class ConfigProblem {

    private final String location;
    private final String path;
    private final String message;
    private final boolean warning;

    ConfigProblem(String location, String path, String message, boolean warning) {
        this.location = location;
        this.path = path;
        this.message = message;
        this.warning = warning;
    }

    static ConfigProblem error(ConfigOrigin origin, String path, String message) {
        return new ConfigProblem(describe(origin), path, message, false);
    }

    static ConfigProblem warning(ConfigOrigin origin, String path, String message) {
        return new ConfigProblem(describe(origin), path, message, true);
    }

    /** "agent.conf: 14" for a file origin, the origin's own description otherwise. */
    static String describe(ConfigOrigin origin) {
        if (origin == null) {
            return "agent.conf";
        }
        String file = origin.filename();
        if (file == null) {
            String description = origin.description();
            return description == null ? "agent.conf" : description;
        }
        return origin.lineNumber() > 0 ? file + ": " + origin.lineNumber() : file;
    }

    public boolean isWarning() {
        return warning;
    }

    public String path() {
        return path;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return location + ": " + path + ": " + message;
    }
}
