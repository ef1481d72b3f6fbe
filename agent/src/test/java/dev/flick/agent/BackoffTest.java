package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

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
