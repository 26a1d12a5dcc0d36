/**
 * Byte Buddy set-up: which classes are looked at, and the inlined advice that sends each matched
 * method's calls to the runtime through the bootstrap bridge.
 */
package dev.cacheaside.agent.instrument;
