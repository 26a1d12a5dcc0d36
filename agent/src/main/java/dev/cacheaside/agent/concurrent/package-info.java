/** Threads of the agent's start-up: work started in the background and joined where it is needed. */
package dev.cacheaside.agent.concurrent;
