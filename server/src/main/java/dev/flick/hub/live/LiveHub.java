package dev.flick.hub.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;

import org.springframework.stereotype.Component;

/**
 * What is live right now: each server's latest snapshot and status, a compact ring of recent snapshot messages (for
 * {@code since} resumes), and the subscribers. Every message is serialised once and handed to each subscriber its
 * address reaches; publishing never blocks, subscribers queue on their own.
 * The boundary a bus across hubs replaces to share live data.
 */
@Component
public class LiveHub {

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    /** Each server's summary entry, written once for its latest snapshot and status; built on first demand. */
    private final Map<String, Entry> summaries = new ConcurrentHashMap<>();

    private record Entry(long ts, String status, String json) {}
    private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final SnapshotCodec codec;
    private final int ringCapacity;
    private volatile Relay relay = (message, json) -> {};

    /** Where this hub's own messages also go (the other hubs of a cluster); never blocks. */
    public interface Relay {
        void relay(LiveMessage.Addressed message, String json);
    }

    public void relayTo(Relay relay) {
        this.relay = relay;
    }

    public LiveHub(FlickSettings settings, SnapshotCodec codec) {
        this.codec = codec;
        this.ringCapacity = (int) Math.max(60, settings.ringSeconds() * 1000L / settings.intervalMillis());
    }

    /**
     * What publishing a snapshot did: {@code fresh} when it is newer than every snapshot of its server seen before
     * (not a back-fill or a resend), and the message in its compact form (the stored detail).
     */
    public record Published(boolean fresh, byte[] compact) {}

    /** Keeps the snapshot as its server's latest and, compacted, in the ring; sends its message to its viewers. */
    public Published publish(Snapshot snapshot) {
        LiveMessage.Snapshot message = LiveMessage.Snapshot.of(snapshot);
        Ring ring = rings.computeIfAbsent(snapshot.serverId(), id -> new Ring(ringCapacity));
        // In the ring before anyone is handed it, so a subscribe replaying the ring meanwhile cannot miss it.
        boolean fresh = ring.add(snapshot, message.json());
        deliver(message, message.json());
        if (fresh) relay.relay(message, message.json());
        // Compacted once the viewers have it, so deflating never delays live delivery.
        byte[] compact = codec.compact(message.json());
        ring.compact(snapshot.ts(), compact);
        return new Published(fresh, compact);
    }

    /** Sends a message (status, alert, notification, log line) to the subscribers its address reaches. */
    public void send(LiveMessage.Addressed message) {
        if (message instanceof LiveMessage.Status s) statuses.put(s.serverId(), s.status());
        String json = LiveJson.write(message);
        deliver(message, json);
        relay.relay(message, json);
    }

    /**
     * A snapshot message another hub published (its owner): kept and delivered like a local one, not relayed again.
     * One already in the ring (a replay of the stream) is dropped, so a resume sees no duplicate.
     */
    public void publishRelayed(String serverId, String json) {
        Snapshot snapshot = codec.read(serverId, json);
        Ring ring = rings.computeIfAbsent(serverId, id -> new Ring(ringCapacity));
        Snapshot before = ring.latest();
        if (before != null && snapshot.ts() <= before.ts()) return;
        ring.add(snapshot, json);
        deliver(new LiveMessage.Snapshot(serverId, snapshot.ts(), json), json);
        ring.compact(snapshot.ts(), codec.compact(json));
    }

    /** A status, alert, notification or log message another hub sent: delivered here, not relayed again. */
    public void sendRelayed(LiveMessage.Addressed message) {
        if (message instanceof LiveMessage.Status s) statuses.put(s.serverId(), s.status());
        deliver(message, LiveJson.write(message));
    }

    private void deliver(LiveMessage.Addressed message, String json) {
        Address to = message.to();
        for (LiveSubscriber s : subscribers) {
            if (s.wants(to)) s.deliver(message, json);
        }
    }

    /** Every server with a latest snapshot. */
    public Set<String> serverIds() {
        return Set.copyOf(rings.keySet());
    }

    public void subscribe(LiveSubscriber subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(LiveSubscriber subscriber) {
        subscribers.remove(subscriber);
    }

    public Optional<Snapshot> latest(String serverId) {
        Ring ring = rings.get(serverId);
        return ring == null ? Optional.empty() : Optional.ofNullable(ring.latest());
    }

    /** The last status stated for the server since the hub started, if any. */
    public Optional<String> status(String serverId) {
        return Optional.ofNullable(statuses.get(serverId));
    }

    /**
     * The server's summary entry as JSON (LiveJson.entry), for the latest snapshot and status: written once and
     * shared by every summary subscriber; empty until the server has a snapshot.
     */
    public Optional<String> summaryEntry(String serverId) {
        Optional<Snapshot> latest = latest(serverId);
        if (latest.isEmpty()) return Optional.empty();
        Snapshot s = latest.get();
        String status = statuses.get(serverId);
        Entry e = summaries.get(serverId);
        if (e == null || e.ts() != s.ts() || !java.util.Objects.equals(e.status(), status)) {
            e = new Entry(s.ts(), status, LiveJson.entry(LiveMessage.ServerSummary.of(s, status)));
            summaries.put(serverId, e);
        }
        return Optional.of(e.json());
    }

    /** A buffered snapshot message. */
    public record Buffered(long ts, String json) {}

    /** The buffered messages of a server newer than {@code since}, oldest first. */
    public List<Buffered> replay(String serverId, long since) {
        Ring ring = rings.get(serverId);
        if (ring == null) return List.of();
        List<Buffered> out = new ArrayList<>();
        for (Ring.Entry e : ring.newerThan(since)) {
            out.add(new Buffered(e.ts(), e.message() instanceof String json ? json : codec.expand((byte[]) e.message())));
        }
        return out;
    }

    public void forget(String serverId) {
        rings.remove(serverId);
        statuses.remove(serverId);
        summaries.remove(serverId);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /**
     * A fixed ring of (ts, message), kept in ts order even when a back-fill arrives late. A message is held as text
     * only until its viewers have it, then deflated (about a quarter of the size) and inflated only for a replay.
     */
    private static final class Ring {
        record Entry(long ts, Object message) {}

        private final long[] ts;
        private final Object[] messages; // String, or byte[] once compacted
        private int start;
        private int size;
        private Snapshot latest;

        Ring(int capacity) {
            this.ts = new long[capacity];
            this.messages = new Object[capacity];
        }

        /** Keeps the snapshot; true when it is newer than every one of its server seen before. */
        synchronized boolean add(Snapshot snapshot, String message) {
            boolean fresh = latest == null || snapshot.ts() > latest.ts();
            if (fresh) latest = snapshot;
            int cap = ts.length;
            if (size > 0 && snapshot.ts() <= ts[(start + size - 1) % cap]) {
                return fresh; // older than the newest buffered one: stored history gets it, the live ring does not reorder
            }
            int at = (start + size) % cap;
            ts[at] = snapshot.ts();
            messages[at] = message;
            if (size < cap) {
                size++;
            } else {
                start = (start + 1) % cap;
            }
            return fresh;
        }

        synchronized void compact(long when, byte[] compact) {
            int cap = ts.length;
            // Compacted right after it was added, so the entry is nearly always the newest.
            for (int i = size - 1; i >= 0; i--) {
                int at = (start + i) % cap;
                if (ts[at] == when) {
                    if (messages[at] instanceof String) messages[at] = compact;
                    return;
                }
                if (ts[at] < when) return;
            }
        }

        synchronized Snapshot latest() {
            return latest;
        }

        synchronized List<Entry> newerThan(long since) {
            List<Entry> out = new ArrayList<>();
            int cap = ts.length;
            for (int i = 0; i < size; i++) {
                int at = (start + i) % cap;
                if (ts[at] > since) out.add(new Entry(ts[at], messages[at]));
            }
            return out;
        }
    }
}
