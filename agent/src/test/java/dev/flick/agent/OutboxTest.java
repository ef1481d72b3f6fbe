package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void keepsTheNewestWhenFullAndCountsWhatItDropped() {
        Outbox box = new Outbox(3);
        for (long ts = 1; ts <= 5; ts++) box.add(ts, "{\"ts\":" + ts + "}");
        assertThat(box.size()).isEqualTo(3);
        assertThat(box.dropped()).isEqualTo(2);
        assertThat(box.oldest(10, 1_000).getFirst().ts()).isEqualTo(3);
    }

    @Test
    void entriesLeaveOnlyWhenAcknowledgedSoAnUnansweredBatchIsSentAgain() {
        Outbox box = new Outbox(100);
        for (long ts = 1; ts <= 10; ts++) box.add(ts, "x".repeat(10));
        assertThat(box.oldest(4, 1_000)).extracting(Outbox.Entry::ts).containsExactly(1L, 2L, 3L, 4L);
        assertThat(box.oldest(4, 1_000)).extracting(Outbox.Entry::ts).containsExactly(1L, 2L, 3L, 4L);
        box.acknowledge(4);
        assertThat(box.oldest(100, 25)).extracting(Outbox.Entry::ts).containsExactly(5L, 6L);
        assertThat(box.oldest(100, 1)).hasSize(1); // always at least one, however large
    }

    @Test
    void backoffDrawsFullJitterUnderADoublingCappedCeiling() {
        Backoff b = new Backoff(1_000, 60_000);
        long[] ceilings = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long ceiling : ceilings) {
            assertThat(b.ceilingMillis()).isEqualTo(ceiling);
            assertThat(b.nextDelayMillis()).isBetween(0L, ceiling);
        }
        b.reset();
        assertThat(b.ceilingMillis()).isEqualTo(1_000);
    }
}
