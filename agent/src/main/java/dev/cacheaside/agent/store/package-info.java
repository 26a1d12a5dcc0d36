/**
 * The Redis side: a small {@link dev.cacheaside.agent.store.CacheStore} interface, its Jedis
 * implementation for a single server, a cluster or Sentinel, and the circuit breaker that keeps a
 * down or frozen Redis from slowing the application.
 */
package dev.cacheaside.agent.store;
