package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Path;

import dev.flick.hub.config.FlickSettings;

import org.junit.jupiter.api.Test;

class TierChoiceTest {

    private static final long NOW = 1_764_150_000_000L;
    private static final long HOUR = 3_600_000;
    private final History history = new History(null, null, null,
            new FlickSettings(Path.of("."), Duration.ofSeconds(1), "", "", 900, org.springframework.util.unit.DataSize.ofGigabytes(2),
                    org.springframework.util.unit.DataSize.ofMegabytes(64), org.springframework.util.unit.DataSize.ofMegabytes(100), false, "", "", "", "", ""));

    @Test
    void fiveMinutesIsRawAtTheCollectionInterval() {
        long step = history.chooseStep(NOW - 300_000, NOW, 0);
        assertThat(step).isEqualTo(1_000);
        assertThat(History.chooseTier(NOW - 300_000, step, NOW)).isEqualTo(Tier.RAW);
    }

    @Test
    void anHourStaysRawButGroupedToAtMostAThousandPoints() {
        long step = history.chooseStep(NOW - HOUR, NOW, 0);
        assertThat(step).isEqualTo(5_000);
        assertThat(HOUR / step).isLessThanOrEqualTo(History.MAX_POINTS);
        assertThat(History.chooseTier(NOW - HOUR, step, NOW)).isEqualTo(Tier.RAW);
    }

    @Test
    void aDayReadsTheMinuteRollupNotEightySixThousandRows() {
        long step = history.chooseStep(NOW - 24 * HOUR, NOW, 0);
        assertThat(step).isEqualTo(120_000);
        assertThat(History.chooseTier(NOW - 24 * HOUR, step, NOW)).isEqualTo(Tier.MINUTE);
    }

    @Test
    void monthsReadTheHourRollup() {
        long from = NOW - 90L * 24 * HOUR;
        long step = history.chooseStep(from, NOW, 0);
        assertThat(step).isGreaterThanOrEqualTo(HOUR);
        assertThat(History.chooseTier(from, step, NOW)).isEqualTo(Tier.HOUR);
    }

    @Test
    void rawIsNotAskedForRangesOlderThanItsRetention() {
        long from = NOW - 15 * 24 * HOUR;
        assertThat(History.chooseTier(from, 1_000, NOW)).isEqualTo(Tier.MINUTE);
    }

    @Test
    void anExplicitCoarserStepWins() {
        assertThat(history.chooseStep(NOW - 300_000, NOW, 60_000)).isEqualTo(60_000);
        assertThat(History.chooseTier(NOW - 300_000, 60_000, NOW)).isEqualTo(Tier.MINUTE);
    }
}
