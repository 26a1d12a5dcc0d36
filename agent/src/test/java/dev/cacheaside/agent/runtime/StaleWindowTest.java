package dev.cacheaside.agent.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StaleWindowTest {

    private static final long START = 1_000_000_000L;

    @Test
    void counts_auditsOfTheLastFiveMinutes() {
        StaleWindow window = new StaleWindow();
        window.record(true, START);
        window.record(false, START + 1_000);
        window.record(false, START + 60_000);
        window.record(true, START + 4 * 60_000);

        StaleWindow.Counts counts = window.counts(START + 4 * 60_000);
        assertEquals(4, counts.audits);
        assertEquals(2, counts.stale);
        assertEquals(0.5, counts.ratio(), 1e-9);
    }

    @Test
    void counts_oldAuditsAgeOut_soTheRatioRecovers() {
        StaleWindow window = new StaleWindow();
        for (int i = 0; i < 10; i++) {
            window.record(true, START + i);
        }
        assertEquals(1.0, window.counts(START).ratio(), 1e-9);

        long later = START + StaleWindow.SPAN_MILLIS + StaleWindow.BUCKET_MILLIS;
        window.record(false, later);
        StaleWindow.Counts counts = window.counts(later);
        assertEquals(1, counts.audits, "the stale audits of more than 5 minutes ago are gone");
        assertEquals(0.0, counts.ratio(), 1e-9);
    }

    @Test
    void counts_aBucketReusedAfterAFullTurn_startsFromZero() {
        StaleWindow window = new StaleWindow();
        window.record(true, START);
        long sameBucketLater = START + StaleWindow.SPAN_MILLIS;
        window.record(false, sameBucketLater);

        StaleWindow.Counts counts = window.counts(sameBucketLater);
        assertEquals(1, counts.audits);
        assertEquals(0, counts.stale);
    }

    @Test
    void counts_withoutAudits_isAZeroRatio_andClearEmptiesTheWindow() {
        StaleWindow window = new StaleWindow();
        assertEquals(0.0, window.counts(START).ratio(), 1e-9);
        window.record(true, START);
        window.clear();
        assertEquals(0, window.counts(START).audits);
    }

    @Test
    void counts_negativeClockValues_areCountedAsAnyOther() {
        StaleWindow window = new StaleWindow();
        window.record(true, -5);
        window.record(false, 5);
        assertEquals(2, window.counts(5).audits);
    }
}
