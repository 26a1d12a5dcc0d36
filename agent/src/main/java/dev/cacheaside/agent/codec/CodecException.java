package dev.cacheaside.agent.codec;

/** A value could not be written as JSON, or stored JSON could not be read as the method's type. */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
