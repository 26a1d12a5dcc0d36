package org.hibernate.collection.spi;

/** A stand-in for the part of Hibernate's interface of the same name that the agent calls. */
public interface PersistentCollection {

    boolean wasInitialized();
}
