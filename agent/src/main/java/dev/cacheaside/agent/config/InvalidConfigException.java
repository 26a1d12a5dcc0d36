package dev.cacheaside.agent.config;

import java.util.Collections;
import java.util.List;

/** The config cannot be used at all: unreadable, unparseable, or wrong outside any single rule. */
public final class InvalidConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    InvalidConfigException(String message, List<ConfigProblem> problems) {
        super(message);
        this.problems = Collections.unmodifiableList(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
