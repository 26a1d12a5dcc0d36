/**
 * Reads agent.conf once into immutable settings: every default from the agent's reference.conf,
 * every problem collected with its file, line and rule, so that a bad rule is skipped and reported
 * while the good ones apply.
 */
package dev.cacheaside.agent.config;
