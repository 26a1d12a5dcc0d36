/**
 * What operators see: one JMX MBean per rule ({@code cache-aside:type=Rule,name=<rule>}) over the
 * counters the runtime keeps.
 */
package dev.cacheaside.agent.metrics;
