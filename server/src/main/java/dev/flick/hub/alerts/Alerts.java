package dev.flick.hub.alerts;

import java.util.List;
import java.util.Map;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.auth.UserAccounts;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.live.LiveHub;
import dev.flick.hub.metrics.SnapshotListener;
import dev.flick.hub.notify.Notifications;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerAccess;
import dev.flick.hub.servers.Servers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import tools.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Alerting in the hub: the engine sits on the ingest path as a {@link SnapshotListener}; its decisions go to
 * the recorder's thread. Offline rules are checked every second against Presence's last-seen times.
 * On start, events still firing are resumed so a restart does not notify again.
 */
@Component
public class Alerts implements SnapshotListener {

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final AlertEngine engine;
    private final AlertRecorder recorder;
    private final RuleRepository rules;
    private final EventRepository events;
    private final Servers servers;
    private final Presence presence;
    private final LiveHub live;
    private volatile List<Servers.Known> known = List.of();
    private volatile long knownAt;

    private final ServerAccess access;
    private final UserAccounts users;
    private volatile Map<String, String> ownerRoles = Map.of();

    Alerts(RuleRepository rules, EventRepository events, LiveHub live, Notifications notifications, Servers servers,
           Presence presence, FlickSettings settings, ObjectMapper json, MeterRegistry meters,
           ServerAccess access, UserAccounts users, EventLog eventLog, Silences silences, AlertSettings alertSettings) {
        this.access = access;
        this.users = users;
        this.rules = rules;
        this.events = events;
        this.servers = servers;
        this.presence = presence;
        this.live = live;
        this.recorder = new AlertRecorder(events, live, notifications, servers, json, eventLog);
        this.engine = new AlertEngine(recorder::accept, 3 * settings.intervalMillis(), this::ownerSees, silences::silenced,
                alertSettings.flapCooldown().toMillis());
        reload();
        List<AlertEngine.Firing> firing = events.firing();
        engine.restore(firing);
        closeOrphans(firing);
        Gauge.builder("flick.alerts.backlog", recorder, AlertRecorder::backlog)
                .description("Alert changes waiting to be stored and delivered").register(meters);
        log.info("Alerts: {} active rules, {} events resumed", engine.ruleCount(), firing.size());
    }

    /** An event firing now, for the Prometheus export. */
    public record Open(String ruleId, String ruleName, String serverId, String metric, String mount, String level, long startedAt) {}

    /** The events firing now (one indexed read). */
    public List<Open> open() {
        return events.open();
    }

    @Override
    public void onSnapshot(Snapshot snapshot) {
        engine.evaluate(snapshot);
    }

    /** Re-reads the rules after an edit. */
    void reload() {
        Map<String, String> roles = new java.util.HashMap<>();
        users.list().forEach(u -> roles.put(u.id(), u.disabled() ? "disabled" : u.role()));
        ownerRoles = roles;
        engine.rules(rules.all());
    }

    /** Rules of admins (and of the hub itself) watch every server; anyone else's only the servers they may see. */
    private boolean ownerSees(AlertRule rule, String serverId) {
        if (rule.ownerId() == null) return true;
        String role = ownerRoles.get(rule.ownerId());
        if ("admin".equals(role)) return true;
        return role != null && access.canView(rule.ownerId(), role, serverId);
    }

    /** A role change or a removed account changes what its rules may watch. */
    @org.springframework.context.event.EventListener
    void onSessionsEnded(dev.flick.hub.auth.SessionsEnded e) {
        reload();
    }

    /** Events left firing by a rule that was since deleted or disabled end here, quietly. */
    private void closeOrphans(List<AlertEngine.Firing> firing) {
        var active = rules.all().stream().filter(AlertRule::enabled).map(AlertRule::id).collect(java.util.stream.Collectors.toSet());
        long now = System.currentTimeMillis();
        for (AlertEngine.Firing f : firing) {
            if (!active.contains(f.ruleId())) events.resolve(f.eventId(), now);
        }
    }

    @Scheduled(fixedDelay = 1_000, initialDelay = 1_000)
    void checkSilence() {
        long now = System.currentTimeMillis();
        if (now - knownAt > 10_000) {
            known = servers.all();
            knownAt = now;
        }
        for (Servers.Known s : known) {
            Long seen = presence.lastSeen(s.id(), s.lastSeen());
            if (seen == null) continue; // never heard from: pending, not offline
            engine.checkSilence(s.id(), seen, now, live.latest(s.id()).orElse(null));
        }
        engine.settleQuiet(now);
    }

    /** Forgets the cached server list, e.g. after a server was added, so offline rules see it at once. */
    void refreshServers() {
        knownAt = 0;
    }

    @PreDestroy
    void close() {
        recorder.close();
    }
}
