package dev.flick.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The hub routes each message by its address, serialises it once, and keeps its ring compact by itself. */
class LiveHubTest {

    /** Counts compactions; the compact form is the text's bytes reversed, so a replay must expand it. */
    static final class CountingCodec implements SnapshotCodec {
        final AtomicInteger compacted = new AtomicInteger();

        @Override
        public byte[] compact(String json) {
            compacted.incrementAndGet();
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            for (int i = 0, j = b.length - 1; i < j; i++, j--) {
                byte t = b[i];
                b[i] = b[j];
                b[j] = t;
            }
            return b;
        }

        @Override
        public String expand(byte[] compact) {
            byte[] b = compact.clone();
            for (int i = 0, j = b.length - 1; i < j; i++, j--) {
                byte t = b[i];
                b[i] = b[j];
                b[j] = t;
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    record Got(LiveMessage.Addressed message, String json) {}

    static final class Recorder implements LiveSubscriber {
        final Predicate<Address> wants;
        final List<Got> got = new ArrayList<>();

        Recorder(Predicate<Address> wants) {
            this.wants = wants;
        }

        @Override
        public boolean wants(Address to) {
            return wants.test(to);
        }

        @Override
        public void deliver(LiveMessage.Addressed message, String json) {
            got.add(new Got(message, json));
        }
    }

    final CountingCodec codec = new CountingCodec();
    final LiveHub hub = new LiveHub(new FlickSettings(Path.of("."), Duration.ofSeconds(1), "", "", 900, DataSize.ofGigabytes(2),
            DataSize.ofMegabytes(64), DataSize.ofMegabytes(100), false, "", "", "", "", ""), codec);

    static Snapshot at(String id, long ts) {
        return LiveJsonTest.sample().withServerId(id).withTs(ts);
    }

    @Test
    void messagesReachOnlyTheSubscribersTheirAddressReaches() {
        Recorder server1 = new Recorder(a -> a.equals(new Address.Server("s1")));
        Recorder user1 = new Recorder(a -> a.equals(new Address.User("u1")));
        Recorder hubLogs = new Recorder(a -> a.equals(new Address.Logs(null)));
        List.of(server1, user1, hubLogs).forEach(hub::subscribe);

        hub.publish(at("s1", 1_000));
        hub.publish(at("s2", 1_000));
        hub.send(new LiveMessage.Status("s1", "online", 1_000, null));
        hub.send(new LiveMessage.Notification("u1", java.util.Map.of("id", "n1")));
        hub.send(new LiveMessage.Notification("u2", java.util.Map.of("id", "n2")));
        hub.send(new LiveMessage.Log(null, 1_000, "hub", "info", null, "Signed in", null, null));
        hub.send(new LiveMessage.Log("s1", 1_000, "journal", "info", null, "line", null, null));

        assertThat(server1.got).extracting(g -> g.message().getClass().getSimpleName()).containsExactly("Snapshot", "Status");
        assertThat(user1.got).singleElement().satisfies(g -> assertThat(g.json()).isEqualTo("{\"type\":\"notification\",\"id\":\"n1\"}"));
        assertThat(hubLogs.got).singleElement().satisfies(g -> assertThat(((LiveMessage.Log) g.message()).message()).isEqualTo("Signed in"));
        assertThat(hub.status("s1")).contains("online");
    }

    @Test
    void aMessageIsSerialisedOnceForEverySubscriber() {
        Recorder a = new Recorder(x -> true);
        Recorder b = new Recorder(x -> true);
        hub.subscribe(a);
        hub.subscribe(b);
        hub.send(new LiveMessage.Status("s1", "offline", 1_000, "No data for 3 s"));
        hub.publish(at("s1", 2_000));
        for (int i = 0; i < 2; i++) assertThat(a.got.get(i).json()).isSameAs(b.got.get(i).json());
    }

    @Test
    void theRingKeepsSnapshotsCompactAndReplaysThemAsSent() {
        Recorder viewer = new Recorder(x -> true);
        hub.subscribe(viewer);
        LiveHub.Published first = hub.publish(at("s1", 1_000));
        hub.publish(at("s1", 2_000));
        LiveHub.Published backfill = hub.publish(at("s1", 1_500));

        assertThat(first.fresh()).isTrue();
        assertThat(backfill.fresh()).as("older than the latest").isFalse();
        assertThat(codec.compacted).hasValue(3);
        assertThat(codec.expand(first.compact())).isEqualTo(viewer.got.get(0).json());
        assertThat(hub.replay("s1", 1_000)).extracting(LiveHub.Buffered::ts).containsExactly(2_000L);
        assertThat(hub.replay("s1", 0)).extracting(LiveHub.Buffered::json)
                .containsExactly(viewer.got.get(0).json(), viewer.got.get(1).json());
        assertThat(hub.latest("s1")).get().extracting(Snapshot::ts).isEqualTo(2_000L);
    }

    @Test
    void aServersSummaryEntryFollowsItsLatestSnapshotAndStatus() {
        assertThat(hub.summaryEntry("s1")).isEmpty();
        hub.publish(at("s1", 1_000));
        String first = hub.summaryEntry("s1").orElseThrow();
        assertThat(hub.summaryEntry("s1")).get().isSameAs(first);
        assertThat(first).contains("\"ts\":1000").doesNotContain("status");
        hub.send(new LiveMessage.Status("s1", "online", 1_000, null));
        assertThat(hub.summaryEntry("s1")).get().asString().contains("\"status\":\"online\"");
        hub.publish(at("s1", 2_000));
        assertThat(hub.summaryEntry("s1")).get().asString().contains("\"ts\":2000");
    }
}
