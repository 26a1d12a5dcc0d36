/**
 * Turns return values into the JSON stored in Redis and back, driven by the method's declared generic
 * return type. Values are read only as that type: no polymorphic typing and no Java serialization, so
 * a value planted in Redis cannot instantiate any other class. Hibernate's lazy proxies and persistent
 * collections are written only once loaded ({@code LazyAssociations}).
 */
package dev.cacheaside.agent.codec;
