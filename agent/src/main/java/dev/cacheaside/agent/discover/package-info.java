/**
 * {@code discover}: watches the methods of a running application that look like data access for a
 * while, measures how often, how slowly and with which arguments they run and which calls change their
 * results, and proposes cache and evict rules with the evidence. Its advice is separate from the
 * caching advice and is removed, by retransformation, when the discovery ends.
 */
package dev.cacheaside.agent.discover;
