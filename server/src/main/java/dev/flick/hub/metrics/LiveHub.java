package dev.flick.hub.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;

import org.springframework.stereotype.Component;

/**
 * What is live right now: each server's latest snapshot and a ring of recent ones (for {@code since} resumes),
 * and the subscribers that want them. Publishing never blocks: subscribers queue on their own.
 * The boundary a NATS-backed hub would replace to share live data across hubs.
 */
@Component
public class LiveHub {

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final List<LiveSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final int ringCapacity;

    public LiveHub(FlickSettings settings) {
        this.ringCapacity = (int) Math.max(60, settings.ringSeconds() * 1000L / settings.intervalMillis());
    }

    /**
     * Keeps the snapshot and hands its message to every interested subscriber; true when it is newer than every
     * snapshot of its server seen before (not a back-fill or a resend).
     */
    public boolean publish(Snapshot snapshot, String json) {
        boolean fresh = rings.computeIfAbsent(snapshot.serverId(), id -> new Ring(ringCapacity)).add(snapshot, json);
        send(snapshot.serverId(), snapshot.ts(), json);
        return fresh;
    }

    /** Sends a message about a server (status, alert…) to its subscribers without keeping it. */
    public void broadcast(String serverId, String json) {
        send(serverId, 0, json);
    }

    /** Sends a message meant for one user (an in-app notification) to every socket that user has open. */
    /** Hands a {@code log} message to the subscribers tailing that server's logs (serverId null: hub events). */
    public void broadcastLog(String serverId, String json) {
        for (LiveSubscriber s : subscribers) {
            if (s.wantsLogs(serverId)) {
                s.deliver(serverId, 0, json);
            }
        }
    }

    public void sendToUser(String userId, String json) {
        for (LiveSubscriber s : subscribers) {
            if (userId.equals(s.userId())) {
                s.deliver(null, 0, json);
            }
        }
    }

    private void send(String serverId, long ts, String json) {
        for (LiveSubscriber s : subscribers) {
            if (s.wants(serverId)) {
                s.deliver(serverId, ts, json);
            }
        }
    }

    /** Every server with something buffered. */
    public java.util.Set<String> serverIds() {
        return java.util.Set.copyOf(rings.keySet());
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

    /** A buffered snapshot message. */
    public record Buffered(long ts, String json) {}

    /** The buffered messages of a server newer than {@code since}, oldest first. */
    public List<Buffered> replay(String serverId, long since) {
        Ring ring = rings.get(serverId);
        return ring == null ? List.of() : ring.newerThan(since);
    }

    /**
     * Swaps a buffered message for its deflated form once the writer has compressed it anyway, so the ring costs
     * about a quarter of the memory; replays inflate it again.
     */
    void compact(String serverId, long ts, byte[] deflated) {
        Ring ring = rings.get(serverId);
        if (ring != null) ring.compact(ts, deflated);
    }

    public void forget(String serverId) {
        rings.remove(serverId);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** A fixed ring of (ts, message), kept in ts order even when a back-fill arrives late. */
    private static final class Ring {
        private final long[] ts;
        private final Object[] json; // String, or byte[] once compacted
        private int start;
        private int size;
        private Snapshot latest;

        Ring(int capacity) {
            this.ts = new long[capacity];
            this.json = new Object[capacity];
        }

        synchronized boolean add(Snapshot snapshot, String message) {
            boolean fresh = latest == null || snapshot.ts() > latest.ts();
            if (fresh) {
                latest = snapshot;
            }
            int cap = ts.length;
            if (size > 0 && snapshot.ts() <= ts[(start + size - 1) % cap]) {
                return fresh; // older than the newest buffered one: stored history gets it, the live ring does not reorder
            }
            int at = (start + size) % cap;
            ts[at] = snapshot.ts();
            json[at] = message;
            if (size < cap) {
                size++;
            } else {
                start = (start + 1) % cap;
            }
            return fresh;
        }

        synchronized void compact(long when, byte[] deflated) {
            int cap = ts.length;
            // The writer runs moments behind ingest, so the entry is nearly always among the newest.
            for (int i = size - 1; i >= 0; i--) {
                int at = (start + i) % cap;
                if (ts[at] == when) {
                    if (json[at] instanceof String) json[at] = deflated;
                    return;
                }
                if (ts[at] < when) return;
            }
        }

        synchronized Snapshot latest() {
            return latest;
        }

        synchronized List<Buffered> newerThan(long since) {
            List<Buffered> out = new ArrayList<>();
            int cap = ts.length;
            for (int i = 0; i < size; i++) {
                int at = (start + i) % cap;
                if (ts[at] > since) {
                    Object m = json[at];
                    out.add(new Buffered(ts[at], m instanceof String str ? str : Deflate.inflate((byte[]) m)));
                }
            }
            return out;
        }
    }
}
