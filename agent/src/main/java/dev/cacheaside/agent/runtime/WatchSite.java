package dev.cacheaside.agent.runtime;

/**
 * A method that may change data, watched only to tell when it last ran: the audit names such methods
 * when it finds a stale entry of a rule on the same class.
 */
final class WatchSite extends Site {

    WatchSite(int id, String methodName, String descriptor, String signature) {
        super(id, null, null, methodName, descriptor);
        this.signature = signature;
    }
}
