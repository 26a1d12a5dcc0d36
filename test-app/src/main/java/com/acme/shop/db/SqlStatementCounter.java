package com.acme.shop.db;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Number of SQL statements the application sent to the database since the last reset.
 */
public final class SqlStatementCounter {

    private final AtomicLong count = new AtomicLong();

    public void increment() {
        count.incrementAndGet();
    }

    public long get() {
        return count.get();
    }

    /** Returns the count accumulated before the reset. */
    public long reset() {
        return count.getAndSet(0);
    }
}
