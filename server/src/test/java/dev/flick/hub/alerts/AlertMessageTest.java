package dev.flick.hub.alerts;

import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.hub.live.LiveFixtures;
import dev.flick.hub.live.LiveMessage;

import org.junit.jupiter.api.Test;

/** The live {@code alert} message is the event as the API shows it, after its type (live-fixtures/alert.json). */
class AlertMessageTest {

    @Test
    void aFiringEventIsSentAsTheApiShowsIt() {
        AlertEvent e = new AlertEvent("e-1", "r-1", "CPU high", "srv-1", "cpu", null, "critical", "firing", 97.5, 90.0,
                1_764_150_000_000L, null, null, null, 1_764_150_000_000L,
                new AlertEvent.Evidence(List.of(new Snapshot.Processes.Process(42, "java", "flick", 88.0, 300_000_000L, "java -jar flick.jar")), List.of()),
                "critical", 0, List.of(new AlertEvent.Step(1_764_150_000_000L, "critical", 97.5)));
        LiveFixtures.assertWrites("alert", new LiveMessage.Alert(e.serverId(), e));
    }
}
