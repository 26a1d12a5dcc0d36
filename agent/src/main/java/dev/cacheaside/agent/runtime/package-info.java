/**
 * What the advice calls at run time: resolving each instrumented method once, rendering keys, looking
 * up, storing and evicting through the store, and counting what happens per rule.
 */
package dev.cacheaside.agent.runtime;
