package dev.flick.hub.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.flick.hub.live.LiveJson;
import dev.flick.hub.live.LiveMessage;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

/** A socket's outbox: control first; a viewer behind is coalesced to each server's newest snapshot, then live again. */
class OutboxLanesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final AtomicLong nanos = new AtomicLong();

    static void snapshot(ClientConnection.Lanes lanes, String id, long ts) {
        lanes.offer(new LiveMessage.Snapshot(id, ts, "{\"type\":\"snapshot\",\"serverId\":\"" + id + "\",\"ts\":" + ts + "}"),
                "{\"type\":\"snapshot\",\"serverId\":\"" + id + "\",\"ts\":" + ts + "}");
    }

    static void log(ClientConnection.Lanes lanes, long ts) {
        LiveMessage.Log l = new LiveMessage.Log("s1", ts, "journal", "info", null, "line " + ts, null, null);
        lanes.offer(l, LiveJson.write(l));
    }

    /** Drains the way the connection does: control lane first, then data. */
    static List<JsonNode> drain(ClientConnection.Lanes lanes) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            String m = lanes.pollControl();
            if (m == null) m = lanes.pollData();
            if (m == null) return out;
            out.add(JSON.readTree(m));
        }
    }

    @Test
    void controlMessagesNeverWaitBehindData() {
        var lanes = new ClientConnection.Lanes(1_000, Long.MAX_VALUE, nanos::get);
        for (int i = 1; i <= 100; i++) snapshot(lanes, "s1", i);
        LiveMessage.Ping ping = new LiveMessage.Ping(7);
        lanes.offer(ping, LiveJson.write(ping));

        List<JsonNode> out = drain(lanes);
        assertThat(out.get(0).get("type").asString()).isEqualTo("ping");
        assertThat(out).hasSize(101);
        assertThat(out.subList(1, 101)).extracting(n -> n.get("ts").asLong()).isSorted();
    }

    @Test
    void aViewerFarBehindGetsEachServersNewestThenAMarkerThenEverySnapshotAgain() {
        var lanes = new ClientConnection.Lanes(10, Long.MAX_VALUE, nanos::get);
        for (int ts = 1; ts <= 20; ts++) for (String id : List.of("a", "b", "c")) snapshot(lanes, id, ts);
        assertThat(lanes.coalescing()).isTrue();
        assertThat(lanes.dataSize()).as("one per server once coalescing").isEqualTo(3);

        List<JsonNode> out = drain(lanes);
        Map<String, Long> newest = new HashMap<>();
        out.stream().filter(n -> n.get("type").asString().equals("snapshot"))
                .forEach(n -> newest.merge(n.get("serverId").asString(), n.get("ts").asLong(), Math::max));
        assertThat(newest).containsExactlyInAnyOrderEntriesOf(Map.of("a", 20L, "b", 20L, "c", 20L));
        JsonNode marker = out.getLast();
        assertThat(marker.get("type").asString()).isEqualTo("coalesced");
        assertThat(marker.get("skipped").asLong()).isEqualTo(60 - 3);
        assertThat(lanes.coalescing()).isFalse();

        snapshot(lanes, "a", 21);
        snapshot(lanes, "a", 22);
        assertThat(drain(lanes)).extracting(n -> n.get("ts").asLong()).containsExactly(21L, 22L);
    }

    @Test
    void aViewerWhoseOldestMessageWaitedTooLongIsCoalescedToo() {
        var lanes = new ClientConnection.Lanes(1_000, 1_000_000_000L, nanos::get);
        snapshot(lanes, "a", 1);
        snapshot(lanes, "a", 2);
        assertThat(lanes.coalescing()).isFalse();
        nanos.addAndGet(1_500_000_000L);
        snapshot(lanes, "a", 3);
        assertThat(lanes.coalescing()).isTrue();
        List<JsonNode> out = drain(lanes);
        assertThat(out).extracting(n -> n.get("type").asString()).containsExactly("snapshot", "coalesced");
        assertThat(out.get(0).get("ts").asLong()).isEqualTo(3);
        assertThat(out.get(1).get("skipped").asLong()).isEqualTo(2);
    }

    @Test
    void logLinesAreCappedWhileCoalescingAndCounted() {
        var lanes = new ClientConnection.Lanes(1, Long.MAX_VALUE, nanos::get);
        snapshot(lanes, "a", 1);
        int lines = ClientConnection.Lanes.LOGS_MAX + 50;
        for (int i = 0; i < lines; i++) log(lanes, i);
        List<JsonNode> out = drain(lanes);
        assertThat(out.stream().filter(n -> n.get("type").asString().equals("log"))).hasSize(ClientConnection.Lanes.LOGS_MAX);
        assertThat(out.getLast().get("logsSkipped").asLong()).isEqualTo(50);
    }
}
