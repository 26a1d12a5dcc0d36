package dev.cacheaside.agent.codec;

/** A value could not be written as JSON, or stored JSON could not be read as the method's type. */
public class CodecException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, each with the change that removes it. */
    public enum Cause {
        /** The class has no constructor the codec can call. */
        NO_CREATOR("its class has no constructor the agent can call", "give the class a no-argument constructor (any visibility), or one constructor whose parameters"
                + " are its fields: named like them (compile with -parameters) or one parameter per field type;"
                + " or make it a record"),
        /** The declared type is an interface or abstract class with no implementation the codec knows. */
        ABSTRACT("its declared type is abstract and names no implementation", "declare a concrete class as the method's return type, or an interface the codec implements"
                + " (List, Set, Map, Optional, Spring Data's Page or Slice)"),
        /** The value refers back to itself through a collection, map or array, which object ids cannot name. */
        CYCLE("it refers back to itself through a collection, map or array", "break the cycle: mark the back-reference field transient, or return a DTO without it"),
        /** The value nests deeper than JSON is written, without a cycle. */
        TOO_DEEP("it nests deeper than JSON is written (1000 levels)", "return a flatter value: a list instead of a long chain of linked objects"),
        /** The value or its declared type holds a Class, ClassLoader, Thread or java.lang.reflect object. */
        REFUSED_TYPE("it holds a reflective type", "keep reflective types out of cached values: store a class as its name (a String) and mark"
                + " fields that hold a Class, ClassLoader, Thread or java.lang.reflect object transient"),
        /** A lazy association that is not loaded. */
        LAZY("it holds a lazy association that is not loaded", "load the association inside the method (a JOIN FETCH query, an @EntityGraph or"
                + " Hibernate.initialize) or return a DTO without lazy associations; a hit then returns a detached"
                + " copy"),
        /** The stored JSON does not have the shape of the declared type. */
        INPUT("the stored JSON does not have the shape of the declared type", "nothing in the application: the entry is replaced by the method's result; if another service"
                + " writes this key, make it write the JSON of the method's declared return type"),
        /** Anything else Jackson refuses. */
        OTHER("Jackson cannot map its class", "return a plain class with a no-argument constructor (any visibility) and non-transient fields for"
                + " its state, or a record");

        private final String what;
        private final String fix;

        Cause(String what, String fix) {
            this.what = what;
            this.fix = fix;
        }

        /** The cause in a few words, as "it ..." or "its ...". */
        public String what() {
            return what;
        }

        /** The change to the cached method or its classes that removes this cause. */
        public String fix() {
            return fix;
        }
    }

    private final Cause cause;

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
