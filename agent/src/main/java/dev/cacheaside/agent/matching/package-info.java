/**
 * Finds the methods a rule names: "Type#name(params)" against a class about to be loaded, through its
 * whole type hierarchy, strictly (no constructors, abstract, native, synthetic or bridge methods).
 */
package dev.cacheaside.agent.matching;
