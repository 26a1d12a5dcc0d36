package dev.cacheaside.agent.cli;

/** A command cannot do what was asked; its message says why, for the operator. */
final class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    CommandException(String message) {
        super(message);
    }
}
