package dev.flick.hub.alerts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.flick.collector.Snapshot;

/**
 * Evaluates rules per rule × server × mount as snapshots arrive. Plain Java, no I/O: decisions go to a sink
 * (in the hub, a queue drained by {@link AlertRecorder}'s thread). Runs on the ingest hot path, so a snapshot
 * that changes nothing allocates nothing: rules are a prebuilt array, state lives in maps keyed by ids the
 * snapshot already holds.
 *
 * <p>Per track: the raw condition (with the recovery margin once at a level, so a value hovering at the
 * threshold does not flap) must hold for durationSeconds before the level goes up; going down happens at once.
 * One incident per track: a level change raises or lowers the open event in place (told once per level it reaches),
 * and recovery resolves it in place. With a flap cool-down, an incident that fires again within the cool-down of
 * its resolve re-opens the same event without telling anyone again, and its resolve is told only once it has held
 * for the cool-down ({@link Change.Settled}); so a flapping rule makes one event and a bounded number of notices.
 */
final class AlertEngine {

    private final Consumer<Change> sink;
    private volatile Watch[] watches = new Watch[0];
    private final long offlineGraceMs;
    private final java.util.function.BiPredicate<AlertRule, String> ownerSees;

    AlertEngine(Consumer<Change> sink, long offlineGraceMs) {
        this(sink, offlineGraceMs, (rule, serverId) -> true);
    }

    /** ownerSees: whether the rule's owner may see a server; a rule never watches (or reports on) others' servers. */
    AlertEngine(Consumer<Change> sink, long offlineGraceMs, java.util.function.BiPredicate<AlertRule, String> ownerSees) {
        this(sink, offlineGraceMs, ownerSees, (ruleId, serverId, ts) -> false);
    }

    /** silenced: whether a silence holds back notifications for a rule on a server at a moment ({@link Silences}). */
    AlertEngine(Consumer<Change> sink, long offlineGraceMs, java.util.function.BiPredicate<AlertRule, String> ownerSees,
                Silenced silenced) {
        this(sink, offlineGraceMs, ownerSees, silenced, 0);
    }

    /** cooldownMs: the flap cool-down ({@link AlertSettings#flapCooldown()}); 0 resolves and tells at once. */
    AlertEngine(Consumer<Change> sink, long offlineGraceMs, java.util.function.BiPredicate<AlertRule, String> ownerSees,
                Silenced silenced, long cooldownMs) {
        this.cooldownMs = cooldownMs;
        this.sink = sink;
        this.offlineGraceMs = offlineGraceMs;
        this.ownerSees = ownerSees;
        this.silenced = silenced;
    }

    /** Asked on the hot path for every step of a track: must not allocate or block. */
    interface Silenced {
        boolean test(String ruleId, String serverId, long ts);
    }

    private final Silenced silenced;
    private final long cooldownMs;

    /** A firing event as stored, to resume after a restart without telling anyone again. */
    record Firing(String ruleId, String eventId, String serverId, String mount, int stage, long startedAt, Long notifiedAt,
                  int toldStage) {}

    /** Swaps in a new rule set. Tracks of rules that stay keep their state; open events of rules gone or disabled close quietly. */
    synchronized void rules(List<AlertRule> rules) {
        Map<String, Watch> old = new HashMap<>();
        for (Watch w : watches) old.put(w.rule.id(), w);
        List<Watch> next = new ArrayList<>();
        for (AlertRule r : rules) {
            if (!r.enabled() || Metric.of(r.metric()) == null) continue;
            Watch previous = old.remove(r.id());
            next.add(new Watch(r, previous == null ? new ConcurrentHashMap<>() : previous.tracks));
        }
        watches = next.toArray(Watch[]::new);
        long now = System.currentTimeMillis();
        for (Watch gone : old.values()) {
            gone.tracks.values().forEach(t -> t.forEach(track -> {
                synchronized (track) {
                    if (track.stage > 0) sink.accept(new Change.Closed(gone.rule, track.eventId, track.serverId, Double.NaN, now, false));
                    track.stage = 0;
                    track.forget();
                }
            }));
        }
    }

    /** Resumes events that were firing (and maybe notified) before a restart. */
    synchronized void restore(List<Firing> firing) {
        for (Firing f : firing) {
            for (Watch w : watches) {
                if (!w.rule.id().equals(f.ruleId())) continue;
                Track t = w.track(f.serverId(), f.mount());
                synchronized (t) {
                    t.stage = f.stage();
                    t.eventId = f.eventId();
                    t.startedAt = f.startedAt();
                    t.notifiedAt = f.notifiedAt() == null ? 0 : f.notifiedAt();
                    t.toldStage = f.toldStage();
                    t.resolvedAt = -1;
                    t.warnSince = f.startedAt();
                    t.critSince = f.stage() == 2 ? f.startedAt() : -1;
                }
            }
        }
    }

    /** Evaluates every rule that watches this snapshot's server. The hot path. */
    void evaluate(Snapshot s) {
        Watch[] ws = watches;
        String serverId = s.serverId();
        for (Watch w : ws) {
            if (w.metric == Metric.OFFLINE || !w.covers(serverId)) continue;
            if (w.metric.perPart() || (w.metric == Metric.SERVICE_FAILED && w.mount != null)) {
                evaluateParts(w, s, serverId);
            } else if (w.metric == Metric.DISK_USAGE) {
                List<Snapshot.Disk> disks = s.disks();
                if (disks == null) continue;
                for (int i = 0, n = disks.size(); i < n; i++) {
                    Snapshot.Disk d = disks.get(i);
                    if (w.mount != null && !w.mount.equals(d.mount())) continue;
                    w.step(w.track(serverId, d.mount()), Metric.diskUsage(d), s.ts(), s, sink);
                }
            } else if (w.metric == Metric.SERVICE_FAILED) {
                Snapshot.Services sv = s.services();
                w.step(w.track(serverId, null), w.metric.value(s), s.ts(), s, sink, w.warning, defaultState(w), sv);
            } else if (w.metric.perContainer()) {
                List<Snapshot.Container> containers = s.containers();
                if (containers == null) continue;
                for (int i = 0, n = containers.size(); i < n; i++) {
                    Snapshot.Container c = containers.get(i);
                    if (c.name() == null || w.mount != null && !w.mount.equals(c.name())) continue;
                    Track t = w.track(serverId, c.name());
                    double v = w.metric == Metric.CONTAINER_RESTARTS ? t.restartsWithin(c.restarts(), s.ts(), w.windowMs)
                            : w.metric.containerValue(c);
                    w.step(t, v, s.ts(), s, sink);
                }
            } else {
                w.step(w.track(serverId, null), w.metric.value(s), s.ts(), s, sink);
            }
        }
    }

    /**
     * One rule over the parts of a host-inventory section: each sensor, GPU, drive (or the one unit the rule names)
     * has its own track, keyed like a mount. A part the rule does not name is skipped; a sensor without thresholds of
     * the rule's own is held to the kernel's critical one.
     */
    private void evaluateParts(Watch w, Snapshot s, String serverId) {
        long ts = s.ts();
        switch (w.metric) {
            case SENSOR_TEMPERATURE -> {
                List<Snapshot.Sensor> sensors = s.sensors();
                if (sensors == null) return;
                for (int i = 0, n = sensors.size(); i < n; i++) {
                    Snapshot.Sensor x = sensors.get(i);
                    if (x.kind() != Snapshot.SensorKind.TEMPERATURE) continue;
                    String key = x.key();
                    if (w.mount != null && !w.mount.equals(key)) continue;
                    boolean own = !Double.isNaN(w.warning) || !Double.isNaN(w.critical);
                    if (!own && Double.isNaN(x.critical())) continue;
                    w.step(w.track(serverId, key), x.value(), ts, s, sink, own ? w.warning : Double.NaN,
                            own ? w.critical : x.critical(), x);
                }
            }
            case GPU_TEMPERATURE, GPU_UTILIZATION -> {
                List<Snapshot.Gpu> gpus = s.gpus();
                if (gpus == null) return;
                for (int i = 0, n = gpus.size(); i < n; i++) {
                    Snapshot.Gpu g = gpus.get(i);
                    if (w.mount != null && !w.mount.equals(g.id())) continue;
                    double v = w.metric == Metric.GPU_TEMPERATURE ? g.temperature() : g.utilization();
                    w.step(w.track(serverId, g.id()), v, ts, s, sink, w.warning, w.critical, g);
                }
            }
            case SERVICE_FAILED -> {
                Snapshot.Services sv = s.services();
                if (sv == null) return;
                double v = sv.failedUnits().contains(w.mount) ? 1 : 0;
                w.step(w.track(serverId, w.mount), v, ts, s, sink, w.warning, defaultState(w), sv);
            }
            default -> {
                Snapshot.DiskHealth h = s.diskHealth();
                if (h == null) return;
                List<Snapshot.DiskHealth.Drive> drives = h.drives();
                for (int i = 0, n = drives.size(); i < n; i++) {
                    Snapshot.DiskHealth.Drive d = drives.get(i);
                    if (w.mount != null && !w.mount.equals(d.device())) continue;
                    double critical = w.metric == Metric.SMART_FAILED ? defaultState(w) : w.critical;
                    w.step(w.track(serverId, d.device()), w.metric.drive(d), ts, s, sink, w.warning, critical, d);
                }
            }
        }
    }

    /** A state or count rule without thresholds fires above 0.5: once anything failed. */
    private static double defaultState(Watch w) {
        return Double.isNaN(w.warning) && Double.isNaN(w.critical) ? 0.5 : w.critical;
    }

    /**
     * Evidence beyond the top processes, built only when an event opens (the hot path passes the part it already
     * holds): the sensor's reading and kernel threshold, the GPU, the drive's attributes, the failed units.
     */
    static List<String> facts(Object part) {
        return switch (part) {
            case Snapshot.Sensor x -> List.of(x.key() + ": " + Metric.SENSOR_TEMPERATURE.format(x.value())
                    + (Double.isNaN(x.critical()) ? "" : " (kernel critical " + Metric.SENSOR_TEMPERATURE.format(x.critical()) + ")"));
            case Snapshot.Gpu g -> List.of(g.id() + " " + g.name() + ": utilisation " + Metric.GPU_UTILIZATION.format(g.utilization())
                    + ", temperature " + Metric.GPU_TEMPERATURE.format(g.temperature()));
            case Snapshot.DiskHealth.Drive d -> List.of(d.device() + " " + d.model() + ": health " + d.health().json()
                    + (d.reallocated() >= 0 ? ", reallocated " + d.reallocated() : "")
                    + (d.pending() >= 0 ? ", pending " + d.pending() : "")
                    + (Double.isFinite(d.percentageUsed()) ? ", used " + Metric.SMART_WEAR.format(d.percentageUsed()) : "")
                    + (d.mediaErrors() >= 0 ? ", media errors " + d.mediaErrors() : "")
                    + (Double.isFinite(d.temperature()) ? ", " + Metric.SMART_TEMPERATURE.format(d.temperature()) : ""));
            case Snapshot.Services sv -> sv.failedUnits().isEmpty() ? List.of()
                    : List.of("failed units: " + String.join(", ", sv.failedUnits()));
            case null, default -> List.of();
        };
    }

    /**
     * Evaluates offline rules for one server: silence is the time since its last data. Fires once the server has
     * been silent past the grace (three intervals, when Presence calls it offline) for the rule's duration.
     */
    void checkSilence(String serverId, long lastSeen, long now, Snapshot last) {
        double silentSeconds = (now - lastSeen) / 1000.0;
        for (Watch w : watches) {
            if (w.metric != Metric.OFFLINE || !w.covers(serverId)) continue;
            w.step(w.track(serverId, null), silentSeconds, now, last, sink);
        }
    }

    /**
     * Tells the resolves that have held for the cool-down, for tracks no snapshot reaches any more (a server that
     * went away, a mount that was unmounted). Called every second; tracks that snapshots still reach settle there.
     */
    void settleQuiet(long now) {
        if (cooldownMs <= 0) return;
        for (Watch w : watches) {
            w.tracks.values().forEach(tracks -> tracks.forEach(t -> {
                synchronized (t) {
                    if (t.stage == 0 && t.eventId != null && now - t.resolvedAt >= cooldownMs) {
                        w.settle(t, Double.NaN, now, w.silent(t.serverId, now), sink);
                    }
                }
            }));
        }
    }

    double offlineThresholdSeconds() {
        return offlineGraceMs / 1000.0;
    }

    int ruleCount() {
        return watches.length;
    }

    /** One rule compiled for speed: thresholds as doubles (NaN when absent), the scope as a set. */
    private final class Watch {
        final AlertRule rule;
        final Metric metric;
        final boolean above;
        final double warning;
        final double critical;
        final double margin;
        final long durationMs;
        final long windowMs;
        final long repeatMs;
        final long mutedUntil;
        final String mount;
        final Set<String> scope;
        /** serverId → mount (or "" for whole-server metrics) → state. */
        final ConcurrentHashMap<String, Tracks> tracks;

        Watch(AlertRule r, ConcurrentHashMap<String, Tracks> tracks) {
            this.rule = r;
            this.metric = Metric.of(r.metric());
            this.above = !"<".equals(r.comparator());
            double warn = r.warning() == null ? Double.NaN : r.warning();
            double crit = r.critical() == null ? Double.NaN : r.critical();
            if (metric == Metric.OFFLINE && Double.isNaN(warn) && Double.isNaN(crit)) crit = offlineThresholdSeconds();
            this.warning = warn;
            this.critical = crit;
            this.margin = r.recoveryMargin() == null ? 0 : r.recoveryMargin();
            // For container.restarts the duration is the window restarts are counted over; the count fires at once.
            this.windowMs = Math.max(60_000L, r.durationSeconds() * 1000L);
            this.durationMs = metric == Metric.CONTAINER_RESTARTS ? 0 : r.durationSeconds() * 1000L;
            this.repeatMs = r.repeatMinutes() == null || r.repeatMinutes() <= 0 ? 0 : r.repeatMinutes() * 60_000L;
            this.mutedUntil = r.mutedUntil() == null ? 0 : r.mutedUntil();
            this.mount = r.mount();
            this.scope = r.serverIds() == null ? null : new HashSet<>(r.serverIds());
            this.tracks = tracks;
        }

        boolean covers(String serverId) {
            return (scope == null || scope.contains(serverId)) && ownerSees.test(rule, serverId);
        }

        Track track(String serverId, String mountPoint) {
            Tracks t = tracks.get(serverId);
            if (t == null) t = tracks.computeIfAbsent(serverId, Tracks::new);
            return t.get(mountPoint);
        }

        private boolean holds(double v, double threshold, boolean withMargin) {
            if (Double.isNaN(threshold)) return false;
            double m = withMargin ? margin : 0;
            return above ? v > threshold - m : v < threshold + m;
        }

        void step(Track t, double v, long ts, Snapshot s, Consumer<Change> out) {
            step(t, v, ts, s, out, warning, critical, null);
        }

        /** With this track's own thresholds (a sensor's kernel critical) and the part it watches, for the evidence. */
        void step(Track t, double v, long ts, Snapshot s, Consumer<Change> out, double warning, double critical, Object part) {
            if (Double.isNaN(v)) return;
            synchronized (t) {
                if (ts <= t.lastTs) return; // a late back-fill does not rewrite the present
                t.lastTs = ts;
                int cur = t.stage;
                boolean crit = holds(v, critical, false) || (cur == 2 && holds(v, critical, true));
                boolean warn = crit || holds(v, warning, false) || (cur >= 1 && holds(v, warning, true));
                t.critSince = crit ? (t.critSince < 0 ? ts : t.critSince) : -1;
                t.warnSince = warn ? (t.warnSince < 0 ? ts : t.warnSince) : -1;
                int target = crit && ts - t.critSince >= durationMs ? 2
                        : warn && ts - t.warnSince >= durationMs ? 1 : 0;
                // Below the current level only once the condition for it is gone; up only after the duration.
                if (target < cur && (cur == 2 ? crit : warn)) target = cur;
                // A silence mutes like mutedUntil, and holds back the resolve as well.
                boolean silent = silenced.test(rule.id(), t.serverId, ts);
                boolean muted = ts < mutedUntil || silent;
                if (target != cur) {
                    if (target == 0) {
                        boolean told = t.toldStage > 0 && !silent;
                        t.stage = 0;
                        if (cooldownMs > 0) {
                            // Resolved now; told only once it stays resolved for the cool-down.
                            out.accept(new Change.Closed(rule, t.eventId, t.serverId, v, ts, false));
                            t.resolvedAt = ts;
                            t.settleTell = told;
                        } else {
                            out.accept(new Change.Closed(rule, t.eventId, t.serverId, v, ts, told));
                            t.forget();
                        }
                    } else if (cur == 0 && t.eventId != null && ts - t.resolvedAt < cooldownMs) {
                        t.stage = target;
                        t.resolvedAt = -1;
                        boolean tell = !muted && target > t.toldStage;
                        if (tell) t.told(target, ts);
                        out.accept(new Change.Reopened(rule, t.eventId, t.serverId, target, level(target), v, target == 2 ? critical : warning, ts, tell));
                    } else if (cur == 0) {
                        if (t.eventId != null) settle(t, v, ts, silent, out);
                        t.stage = target;
                        t.eventId = UUID.randomUUID().toString();
                        t.startedAt = ts;
                        t.resolvedAt = -1;
                        t.toldStage = 0;
                        t.notifiedAt = 0;
                        if (!muted) t.told(target, ts);
                        out.accept(new Change.Opened(rule, t.eventId, t.serverId, t.mount, target, level(target), v, target == 2 ? critical : warning,
                                ts, s == null || s.processes() == null ? List.of() : s.processes().top(),
                                facts(part), !muted));
                    } else {
                        t.stage = target;
                        boolean tell = !muted && target > t.toldStage;
                        if (tell) t.told(target, ts);
                        out.accept(new Change.Leveled(rule, t.eventId, t.serverId, target, level(target), v, target == 2 ? critical : warning, ts, tell));
                    }
                } else if (cur > 0) {
                    if (muted) return;
                    if (t.toldStage < cur) {
                        t.told(cur, ts);
                        out.accept(new Change.Due(rule, t.eventId, t.serverId, v, ts, false));
                    } else if (repeatMs > 0 && ts - t.notifiedAt >= repeatMs) {
                        t.notifiedAt = ts;
                        out.accept(new Change.Due(rule, t.eventId, t.serverId, v, ts, true));
                    }
                } else if (t.eventId != null && ts - t.resolvedAt >= cooldownMs) {
                    settle(t, v, ts, silent, out);
                }
            }
        }

        /** The incident stayed resolved for the cool-down: tell its resolve (if anyone was told it fired) and forget it. */
        void settle(Track t, double v, long ts, boolean silent, Consumer<Change> out) {
            if (t.settleTell && !silent) out.accept(new Change.Settled(rule, t.eventId, t.serverId, v, ts));
            t.forget();
        }

        boolean silent(String serverId, long ts) {
            return silenced.test(rule.id(), serverId, ts);
        }

        private String level(int stage) {
            return stage == 2 ? rule.criticalLevel() : rule.warningLevel();
        }
    }

    /** A server's tracks under one rule: one for whole-server metrics, one per mount for disks. */
    private static final class Tracks {
        final String serverId;
        final Track whole;
        private final Map<String, Track> mounts = new HashMap<>();

        Tracks(String serverId) {
            this.serverId = serverId;
            this.whole = new Track(serverId, null);
        }

        Track get(String mount) {
            if (mount == null) return whole;
            synchronized (mounts) {
                Track t = mounts.get(mount);
                if (t == null) {
                    t = new Track(serverId, mount);
                    mounts.put(mount, t);
                }
                return t;
            }
        }

        void forEach(Consumer<Track> c) {
            c.accept(whole);
            synchronized (mounts) {
                mounts.values().forEach(c);
            }
        }
    }

    /** The state of one rule × server × mount (or container, for container metrics). */
    private static final class Track {
        final String serverId;
        final String mount;
        int stage;
        long warnSince = -1;
        long critSince = -1;
        long lastTs = Long.MIN_VALUE;
        /** The open incident, or a resolved one still within its cool-down (resolvedAt ≥ 0). */
        String eventId;
        long startedAt;
        long notifiedAt;
        /** The highest stage anyone was told of in this incident: each level is told once. */
        int toldStage;
        long resolvedAt = -1;
        boolean settleTell;
        /** container.restarts: (ts, count) where the count changed, oldest first; allocated on change only. */
        private long[] restartTs;
        private int[] restartCounts;
        private int restartPoints;

        Track(String serverId, String mount) {
            this.serverId = serverId;
            this.mount = mount;
        }

        void told(int stage, long ts) {
            toldStage = stage;
            notifiedAt = ts;
        }

        void forget() {
            eventId = null;
            notifiedAt = 0;
            toldStage = 0;
            resolvedAt = -1;
            settleTell = false;
        }

        /** How many restarts the engine counted in the window ending at ts (a recreated container starts again). */
        synchronized double restartsWithin(int count, long ts, long windowMs) {
            if (restartTs == null) {
                restartTs = new long[8];
                restartCounts = new int[8];
            }
            if (restartPoints > 0 && count < restartCounts[restartPoints - 1]) restartPoints = 0;
            if (restartPoints == 0 || count != restartCounts[restartPoints - 1]) {
                if (restartPoints == restartTs.length) {
                    restartTs = java.util.Arrays.copyOf(restartTs, restartPoints * 2);
                    restartCounts = java.util.Arrays.copyOf(restartCounts, restartPoints * 2);
                }
                restartTs[restartPoints] = ts;
                restartCounts[restartPoints++] = count;
            }
            // Keep the last point at or before the window's start (the count then) and everything after it.
            int keep = 0;
            while (keep + 1 < restartPoints && restartTs[keep + 1] <= ts - windowMs) keep++;
            if (keep > 0) {
                System.arraycopy(restartTs, keep, restartTs, 0, restartPoints - keep);
                System.arraycopy(restartCounts, keep, restartCounts, 0, restartPoints - keep);
                restartPoints -= keep;
            }
            return count - restartCounts[0];
        }
    }
}
