package dev.flick.hub.alerts;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.flick.collector.Snapshot;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.live.LiveMessage;
import dev.flick.hub.notify.Notice;
import dev.flick.hub.notify.Notifications;
import dev.flick.hub.servers.Servers;

import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slow half of alerting, on its own thread: stores each change as an event, pushes it live as an
 * {@code alert} message, then hands it to notify. The event is stored first, whatever happens to delivery.
 */
final class AlertRecorder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertRecorder.class);

    private final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();
    private final EventRepository events;
    private final LiveHub live;
    private final Notifications notifications;
    private final Servers servers;
    private final ObjectMapper json;
    private final EventLog eventLog;
    private final Thread thread;
    private volatile boolean running = true;

    AlertRecorder(EventRepository events, LiveHub live, Notifications notifications, Servers servers, ObjectMapper json,
                  EventLog eventLog) {
        this.eventLog = eventLog;
        this.events = events;
        this.live = live;
        this.notifications = notifications;
        this.servers = servers;
        this.json = json;
        this.thread = Thread.ofPlatform().name("flick-alerts").daemon().start(this::run);
    }

    /** Called on the ingest path: only queues. */
    void accept(Change change) {
        queue.add(change);
    }

    int backlog() {
        return queue.size();
    }

    private void run() {
        Change pending = null;
        long failingSince = 0;
        long backoff = 500;
        while (running || !queue.isEmpty() || pending != null) {
            try {
                if (pending == null) pending = queue.poll(500, TimeUnit.MILLISECONDS);
                if (pending == null) continue;
                record(pending);
                pending = null;
                backoff = 500;
                if (failingSince != 0) {
                    log.info("Alert changes are recorded again after {} s", (System.currentTimeMillis() - failingSince) / 1000);
                    failingSince = 0;
                }
            } catch (InterruptedException e) {
                if (!running) break;
            } catch (org.springframework.dao.DataIntegrityViolationException e) {
                // Recorded by an earlier attempt that failed later on: nothing to redo.
                pending = null;
            } catch (RuntimeException e) {
                // The database is away: the change is kept and retried in order, never dropped.
                if (failingSince == 0) {
                    failingSince = System.currentTimeMillis();
                    log.error("Could not record an alert change ({}); retrying, {} waiting", e.getMessage(), queue.size() + 1);
                }
                if (!running) break;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    if (!running) break;
                }
                backoff = Math.min(10_000, backoff * 2);
            }
        }
    }

    private void record(Change change) {
        switch (change) {
            case Change.Opened o -> {
                events.insert(o);
                broadcast(o.eventId());
                eventLog.hub("critical".equals(o.level()) ? "error" : "warning", "Alert \"" + o.rule().name() + "\" is "
                        + o.level() + (o.mount() == null ? "" : " on " + o.mount()) + ": " + o.rule().metric() + " " + o.value()
                        + " (threshold " + o.threshold() + ")", null, "alert:" + o.eventId(), o.serverId());
                if (o.tell()) notify(Notice.Kind.FIRING, o.rule(), o.eventId(), o.serverId(), o.mount(), o.level(), o.value(),
                        o.threshold(), o.ts(), o.ts(), o.evidence());
            }
            case Change.Leveled l -> {
                events.level(l);
                AlertEvent e = broadcast(l.eventId());
                if (e == null) return;
                eventLog.hub("critical".equals(l.level()) ? "error" : "warning", "Alert \"" + l.rule().name() + "\" is now "
                        + l.level() + (e.mount() == null ? "" : " on " + e.mount()) + ": " + l.rule().metric() + " " + l.value()
                        + " (threshold " + l.threshold() + ")", null, "alert:" + e.id(), e.serverId());
                if (l.tell()) notify(Notice.Kind.FIRING, l.rule(), e.id(), e.serverId(), e.mount(), l.level(), l.value(),
                        l.threshold(), l.ts(), e.startedAt(), e.evidence().processes());
            }
            case Change.Reopened r -> {
                events.reopen(r);
                AlertEvent e = broadcast(r.eventId());
                if (e == null) return;
                eventLog.hub("info", "Alert \"" + r.rule().name() + "\" fires again within its cool-down (" + r.level() + "): "
                        + r.rule().metric() + " " + r.value(), null, "alert:" + e.id(), e.serverId());
                if (r.tell()) notify(Notice.Kind.FIRING, r.rule(), e.id(), e.serverId(), e.mount(), r.level(), r.value(),
                        r.threshold(), r.ts(), e.startedAt(), e.evidence().processes());
            }
            case Change.Closed c -> {
                events.resolve(c.eventId(), c.ts(), c.value());
                AlertEvent e = broadcast(c.eventId());
                if (e != null) eventLog.hub("info", "Alert \"" + c.rule().name() + "\" " + e.level() + " resolved: "
                        + c.rule().metric() + " " + c.value(), null, "alert:" + e.id(), e.serverId());
                if (c.tell() && e != null) notify(Notice.Kind.RESOLVED, c.rule(), e.id(), e.serverId(), e.mount(), e.level(),
                        c.value(), e.threshold() == null ? Double.NaN : e.threshold(), c.ts(), e.startedAt(), List.of());
            }
            case Change.Settled st -> events.find(st.eventId()).filter(e -> "resolved".equals(e.state())).ifPresent(e ->
                    notify(Notice.Kind.RESOLVED, st.rule(), e.id(), e.serverId(), e.mount(), e.level(),
                            e.history().isEmpty() || e.history().getLast().value() == null ? st.value() : e.history().getLast().value(),
                            e.threshold() == null ? Double.NaN : e.threshold(),
                            e.resolvedAt() == null ? st.ts() : e.resolvedAt(), e.startedAt(), List.of()));
            case Change.Due d -> {
                events.notified(d.eventId(), d.ts());
                events.find(d.eventId()).ifPresent(e -> notify(d.reminder() ? Notice.Kind.REMINDER : Notice.Kind.FIRING, d.rule(),
                        e.id(), e.serverId(), e.mount(), e.level(), d.value(), e.threshold() == null ? Double.NaN : e.threshold(),
                        d.ts(), e.startedAt(), e.evidence().processes()));
            }
        }
    }

    private AlertEvent broadcast(String eventId) {
        AlertEvent e = events.find(eventId).orElse(null);
        if (e == null) return null;
        live.send(new LiveMessage.Alert(e.serverId(), e));
        return e;
    }

    private void notify(Notice.Kind kind, AlertRule rule, String eventId, String serverId, String mount, String level, double value,
                        double threshold, long ts, long startedAt, List<Snapshot.Processes.Process> evidence) {
        Metric metric = Metric.of(rule.metric());
        String label = metric.label + (mount == null ? "" : " " + mount);
        String comparator = metric == Metric.OFFLINE ? ">" : rule.comparator();
        notifications.send(new Notice(kind, eventId, rule.id(), rule.name(), serverId, servers.name(serverId).orElse(serverId),
                rule.metric(), mount, level, label, Double.isFinite(value) ? value : null, Double.isFinite(threshold) ? threshold : null,
                metric.format(value), comparator + " " + metric.format(threshold), ts, startedAt, evidence, rule.channelIds()));
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
