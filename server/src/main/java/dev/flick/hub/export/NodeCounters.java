package dev.flick.hub.export;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.collector.Snapshot;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.metrics.SnapshotListener;

import org.springframework.stereotype.Component;

/**
 * The monotonic counters node_exporter would report (CPU seconds by mode, bytes read, written, received, sent),
 * accumulated hub-side from each fresh snapshot's rates and shares × the seconds since the server's previous
 * snapshot. Kept in memory only: a hub restart is a counter reset, which rate() and increase() handle.
 */
@Component
class NodeCounters implements SnapshotListener {

    /** CPU modes in the order {@link Server#cpu} keeps them. */
    static final String[] MODES = {"user", "system", "steal", "iowait", "idle"};

    private final ConcurrentHashMap<String, Server> servers = new ConcurrentHashMap<>();
    private final long intervalMillis;
    private final long gapMillis;

    @org.springframework.beans.factory.annotation.Autowired
    NodeCounters(FlickSettings settings) {
        this(settings.intervalMillis());
    }

    NodeCounters(long intervalMillis) {
        this.intervalMillis = intervalMillis;
        this.gapMillis = Math.max(5 * intervalMillis, 30_000);
    }

    @Override
    public void onSnapshot(Snapshot snapshot) {
        if (snapshot.serverId() == null) return;
        servers.computeIfAbsent(snapshot.serverId(), id -> new Server()).add(snapshot, intervalMillis, gapMillis);
    }

    /** A consistent copy of a server's counters, or null before its first snapshot. */
    Totals totals(String serverId) {
        Server s = servers.get(serverId);
        return s == null ? null : s.copy();
    }

    /** A deleted server's counters go with it. */
    @org.springframework.context.event.EventListener
    void onRemoved(dev.flick.hub.servers.ServerEvents.Removed removed) {
        servers.remove(removed.serverId());
    }

    /** cpu[core][mode] seconds; disks and interfaces: {read, written} / {received, transmitted} bytes. */
    record Totals(double[][] cpu, Map<String, double[]> disks, Map<String, double[]> interfaces) {}

    static final class Server {
        private long lastTs = -1;
        private long lastStep;
        private double[][] cpu = new double[0][];
        private final Map<String, double[]> disks = new HashMap<>();
        private final Map<String, double[]> interfaces = new HashMap<>();

        synchronized void add(Snapshot s, long intervalMillis, long gapMillis) {
            long previous = lastTs;
            if (previous >= 0 && s.ts() <= previous) return;
            lastTs = s.ts();
            if (previous < 0) return; // the first snapshot seen starts the counters at zero
            long step = s.ts() - previous;
            // After a gap (offline, or the hub was down) the rates cover only the last interval, not the whole gap.
            if (step > gapMillis) step = lastStep > 0 ? lastStep : intervalMillis;
            lastStep = step;
            double dt = step / 1000.0;
            addCpu(s.cpu(), dt);
            if (s.diskIo() != null && s.diskIo().devices() != null) {
                for (Snapshot.DiskIo.Device d : s.diskIo().devices()) {
                    double[] c = disks.computeIfAbsent(d.name(), k -> new double[2]);
                    c[0] += nonNegative(d.readBps()) * dt;
                    c[1] += nonNegative(d.writeBps()) * dt;
                }
            }
            if (s.network() != null && s.network().interfaces() != null) {
                for (Snapshot.Network.Interface i : s.network().interfaces()) {
                    double[] c = interfaces.computeIfAbsent(i.name(), k -> new double[2]);
                    c[0] += nonNegative(i.rxBps()) * dt;
                    c[1] += nonNegative(i.txBps()) * dt;
                }
            }
        }

        /**
         * Each core's busy share (cores[i]) is split into user, system and steal in the machine's proportions; the
         * rest of the step into iowait and idle likewise. Per core the modes add up to the step exactly.
         */
        private void addCpu(Snapshot.Cpu c, double dt) {
            if (c == null) return;
            double[] cores = c.cores() == null || c.cores().length == 0 ? new double[] {c.usage()} : c.cores();
            if (cpu.length != cores.length) {
                double[][] grown = new double[cores.length][];
                for (int i = 0; i < cores.length; i++) grown[i] = i < cpu.length ? cpu[i] : new double[MODES.length];
                cpu = grown;
            }
            double user = nonNegative(c.user()), system = nonNegative(c.system()), steal = nonNegative(c.steal());
            double busyShares = user + system + steal;
            double iowait = nonNegative(c.iowait());
            double idle = Math.max(0, 100 - busyShares - iowait);
            for (int i = 0; i < cores.length; i++) {
                double busy = Math.min(1, nonNegative(cores[i]) / 100) * dt;
                double rest = dt - busy;
                double[] m = cpu[i];
                if (busyShares > 0) {
                    m[0] += busy * user / busyShares;
                    m[1] += busy * system / busyShares;
                    m[2] += busy * steal / busyShares;
                } else {
                    m[0] += busy;
                }
                double waiting = iowait + idle > 0 ? rest * iowait / (iowait + idle) : 0;
                m[3] += waiting;
                m[4] += rest - waiting;
            }
        }

        synchronized Totals copy() {
            double[][] c = new double[cpu.length][];
            for (int i = 0; i < cpu.length; i++) c[i] = cpu[i].clone();
            Map<String, double[]> d = new HashMap<>();
            disks.forEach((k, v) -> d.put(k, v.clone()));
            Map<String, double[]> n = new HashMap<>();
            interfaces.forEach((k, v) -> n.put(k, v.clone()));
            return new Totals(c, d, n);
        }

        private static double nonNegative(double v) {
            return Double.isFinite(v) && v > 0 ? v : 0;
        }
    }
}
