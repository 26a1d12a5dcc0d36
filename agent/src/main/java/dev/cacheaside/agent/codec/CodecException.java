package dev.cacheaside.agent.codec;

/** A value could not be written as JSON, or stored JSON could not be read as the method's type. */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, each with the change that fixes it. */
    public enum Cause {
        NO_CREATOR("?"), TOO_DEEP("?"), CYCLE("?"), REFUSED_TYPE("?"),
        OTHER("give the class a no-argument constructor (any visibility) and non-transient fields for its state,"
                + " or make it a record");

        private final String fix;

        Cause(String fix) {
            this.fix = fix;
        }
    }

    private final Cause cause;

    CodecException(String message, Throwable cause) {
        this(Cause.OTHER, message, cause);
    }

    CodecException(Cause cause, String message, Throwable error) {
        super(message, error);
        this.cause = cause;
    }

    public Cause cause() {
        return cause;
    }

    /** The change to the cached method or its classes that removes this cause. */
    public String fix() {
        return cause.fix;
    }
}
