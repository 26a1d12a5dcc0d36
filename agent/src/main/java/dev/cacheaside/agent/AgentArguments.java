package dev.cacheaside.agent;

/**
 * The agent's argument string. From {@code -javaagent:jar=ARG} it is a config path; the attach command
 * sends {@code config:PATH}, {@code disable} or {@code status:FILE} so that one entry point serves all;
 * {@code discover:OPTIONS} (from the command, or as {@code -javaagent:jar=discover:...}) starts a discovery.
 */
final class AgentArguments {

    enum Action { START, DISABLE, STATUS, STATS, DISCOVER }

    private final Action action;
    private final String configPath;
    private final String statusFile;

    private AgentArguments(Action action, String configPath, String statusFile) {
        this.action = action;
        this.configPath = configPath;
        this.statusFile = statusFile;
    }

    static AgentArguments parse(String arguments) {
        String text = arguments == null ? "" : arguments.trim();
        if (text.equals("disable")) {
            return new AgentArguments(Action.DISABLE, null, null);
        }
        if (text.startsWith("status:")) {
            return new AgentArguments(Action.STATUS, null, text.substring("status:".length()));
        }
        if (text.startsWith("stats:")) {
            return new AgentArguments(Action.STATS, null, text.substring("stats:".length()));
        }
        if (text.startsWith("discover:") || text.equals("discover")) {
            return new AgentArguments(Action.DISCOVER, null, text.substring(Math.min(text.length(), "discover:".length())));
        }
        if (text.startsWith("config:")) {
            text = text.substring("config:".length());
        }
        return new AgentArguments(Action.START, text.isEmpty() ? null : text, null);
    }

    static String config(String path) {
        return "config:" + (path == null ? "" : path);
    }

    static String status(String file) {
        return "status:" + file;
    }

    Action action() {
        return action;
    }

    /** The config path given, or null to use the default lookup. */
    String configPath() {
        return configPath;
    }

    /** For {@link Action#DISCOVER}: the discovery's options, {@code packages=...;for=...}. */
    String discoverOptions() {
        return statusFile;
    }

    String statusFile() {
        return statusFile;
    }
}
