/**
 * Turns return values into the JSON stored in Redis and back, driven by the method's declared generic
 * return type. Values are read only as that type: no polymorphic typing and no Java serialization, so
 * a value planted in Redis cannot instantiate any other class, and reflective types ({@code Class},
 * {@code ClassLoader}, {@code java.lang.reflect}) are refused both ways ({@code ReflectiveTypes}).
 * Classes without a no-argument constructor are built through the constructor that sets their fields
 * ({@code FieldsIntrospector}); Spring Data's page types, copyOf-built immutable collections and ordered
 * sets and maps are read as their declared types ({@code ValueTypes}, {@code SpringDataValues}); values
 * with cycles are written in an object-graph form with ids ({@code ObjectGraphs}). Hibernate's lazy
 * proxies and persistent collections are written only once loaded ({@code LazyAssociations}). The
 * read-back check compares values in a canonical form where set order does not count
 * ({@code CanonicalForm}), and failures carry a cause with its fix ({@code CodecException.Cause}).
 */
package dev.cacheaside.agent.codec;
