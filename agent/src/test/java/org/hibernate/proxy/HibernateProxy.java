package org.hibernate.proxy;

/** A stand-in for Hibernate's interface of the same name, which the agent recognises by name. */
public interface HibernateProxy {

    LazyInitializer getHibernateLazyInitializer();
}
