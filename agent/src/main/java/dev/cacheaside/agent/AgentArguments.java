package dev.cacheaside.agent;

/**
 * The agent's argument string. From {@code -javaagent:jar=ARG} it is a config path; the attach command
 * sends {@code config:PATH}, {@code disable} or {@code status:FILE} so that one entry point serves all,
 * and {@code config+status:N:FILEPATH} (FILE being N characters long) to start and write the status in
 * one round trip; {@code discover:OPTIONS} (from the command, or as {@code -javaagent:jar=discover:...})
 * starts a discovery.
 */
final class AgentArguments {

    enum Action { START, DISABLE, STATUS, STATS, DISCOVER }

    private static final String CONFIG_AND_STATUS = "config+status:";

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
        if (text.startsWith(CONFIG_AND_STATUS)) {
            String rest = text.substring(CONFIG_AND_STATUS.length());
            int colon = rest.indexOf(':');
            try {
                int end = colon + 1 + Integer.parseInt(rest.substring(0, colon));
                String path = rest.substring(end);
                return new AgentArguments(Action.START, path.isEmpty() ? null : path, rest.substring(colon + 1, end));
            } catch (RuntimeException e) {
                // not this form after all: read as a config path, whose error names it
            }
        }
        if (text.startsWith("config:")) {
            text = text.substring("config:".length());
        }
        return new AgentArguments(Action.START, text.isEmpty() ? null : text, null);
    }

    static String config(String path) {
        return "config:" + (path == null ? "" : path);
    }

    /** Start (or re-configure) with this config, then write the status to the file. */
    static String configAndStatus(String path, String statusFile) {
        return CONFIG_AND_STATUS + statusFile.length() + ":" + statusFile + (path == null ? "" : path);
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

    /** Where to write the status: for STATUS and STATS, and for a START that asked for it; else null. */
    String statusFile() {
        return statusFile;
    }
}
