package dev.cacheaside.agent.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 14, finding 17: repeat-after evictions wait in a bounded queue of their own. */
class RepeatedEvictionsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> done = new ArrayList<>();
    private final RepeatedEvictions repeats = new RepeatedEvictions(3, now::get);

    @Test
    void runDue_runsEachRepeatOnceItsDelayHasPassed_inDueOrder() {
        repeats.schedule("b", 200, () -> done.add("b"));
        repeats.schedule("a", 100, () -> done.add("a"));

        now.addAndGet(99);
        repeats.runDue();
        assertEquals(List.of(), done);

        now.addAndGet(101);
        repeats.runDue();
        assertEquals(List.of("a", "b"), done);
        assertEquals(0, repeats.waiting());
    }

    @Test
    void schedule_sameKeysAgain_coalesce_andRunOnceAfterTheLatestDelay() {
        repeats.schedule("k", 100, () -> done.add("first"));
        now.addAndGet(50);
        repeats.schedule("k", 100, () -> done.add("second"));

        now.addAndGet(60); // the first repeat's time: the second is due later, so nothing runs yet
        repeats.runDue();
        assertEquals(List.of(), done);

        now.addAndGet(40);
        repeats.runDue();
        assertEquals(List.of("second"), done);
        assertEquals(1, repeats.coalesced());
    }

    @Test
    void schedule_burstOverCapacity_dropsTheRepeatsDueFirst_countsThem_andStaysBounded() {
        for (int i = 0; i < 10; i++) {
            String key = "k" + i;
            repeats.schedule(key, 100 + i, () -> done.add(key));
        }

        assertEquals(3, repeats.waiting());
        assertEquals(7, repeats.dropped());
        now.addAndGet(1_000);
        repeats.runDue();
        assertEquals(List.of("k7", "k8", "k9"), done);
    }
}
