package org.hibernate.proxy;

/** A stand-in for the part of Hibernate's interface of the same name that the agent calls. */
public interface LazyInitializer {

    boolean isUninitialized();

    Object getImplementation();
}
