package dev.flick.collector;

import dev.flick.collector.ProcSample.BlockDevice;
import dev.flick.collector.ProcSample.CpuTimes;
import dev.flick.collector.ProcSample.Filesystem;
import dev.flick.collector.ProcSample.NetInterface;
import dev.flick.collector.ProcSample.Process;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns consecutive {@link ProcSample}s of one machine into {@link Snapshot}s: shares and rates from the deltas
 * between this sample and the last, divided by the time that really passed. Every collector goes through here, so
 * API.md's rules live in this one place. A counter that went backwards (wrapped, or reset by a driver or a restart)
 * yields 0 for that interval rather than a negative or absurd rate.
 */
public final class ProcSnapshotCalculator {

    private final String serverId;
    private final ProcessDetails details;
    private final Map<Integer, String> userNames = new HashMap<>();
    private ProcSample previous;
    /** I/O counters of the last top processes: a process's rate needs two readings, and only the top are read. */
    private Map<Integer, IoMark> ioMarks = new HashMap<>();
    private final long[] io = new long[2];

    private record IoMark(long startTime, long read, long write, long clockNanos) {}

    /** The same process's counters in the previous sample, when that sample carried them (the SSH sampler's). */
    private static IoMark earlierCounters(ProcSample before, Process p) {
        List<Process> list = before.processes();
        int lo = 0, hi = list.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Process q = list.get(mid);
            if (q.pid() < p.pid()) lo = mid + 1;
            else if (q.pid() > p.pid()) hi = mid - 1;
            else return q.readBytes() < 0 ? null : new IoMark(q.startTime(), q.readBytes(), q.writeBytes(), before.clockNanos());
        }
        return null;
    }

    /** For samples parsed from {@link ProcScript} output: users and commands come inside the samples. */
    public ProcSnapshotCalculator(String serverId) {
        this.serverId = serverId;
        this.details = new ReportedDetails();
    }

    /** For sources that look users and commands up only for the processes that make the top. */
    ProcSnapshotCalculator(String serverId, ProcessDetails details) {
        this.serverId = serverId;
        this.details = details;
    }

    /** The snapshot for this sample; rates are 0 when there is no earlier sample or the clock went back (a reboot). */
    public synchronized Snapshot next(ProcSample now) {
        if (!now.userNames().isEmpty()) {
            userNames.clear();
            userNames.putAll(now.userNames());
        }
        ProcSample before = previous != null && now.clockNanos() > previous.clockNanos() ? previous : null;
        double seconds = before == null ? 0 : (now.clockNanos() - before.clockNanos()) / 1e9;
        previous = now;
        ProcSample.Sections inv = now.sections();
        return new Snapshot(serverId, now.ts(), cpu(now, before), memory(now),
                disks(now), diskIo(now, before, seconds), network(now, before, seconds), processes(now, before, seconds),
                null, inv.sensors(), inv.gpus(), inv.diskHealth(), inv.services());
    }

    private static Snapshot.Cpu cpu(ProcSample now, ProcSample before) {
        double[] shares = before == null ? new double[5] : shares(now.cpu(), before.cpu());
        double[] cores = new double[now.cores().size()];
        boolean sameCores = before != null && before.cores().size() == cores.length;
        for (int i = 0; sameCores && i < cores.length; i++) cores[i] = shares(now.cores().get(i), before.cores().get(i))[0];
        return new Snapshot.Cpu(shares[0], shares[1], shares[2], shares[3], shares[4], cores, now.load1(), now.load5(), now.load15());
    }

    /**
     * [usage, user, system, iowait, steal] as percent of all CPU time in the interval. user counts nice, system counts
     * irq and softirq, so usage = user + system + steal and the rest is idle or iowait.
     */
    static double[] shares(CpuTimes now, CpuTimes before) {
        long user = delta(now.user(), before.user()) + delta(now.nice(), before.nice());
        long system = delta(now.system(), before.system()) + delta(now.irq(), before.irq()) + delta(now.softirq(), before.softirq());
        long steal = delta(now.steal(), before.steal());
        // iowait is known to step backwards on some kernels; clamping each field keeps the shares within 0–100.
        long idle = delta(now.idle(), before.idle());
        long iowait = delta(now.iowait(), before.iowait());
        long busy = user + system + steal;
        long total = busy + idle + iowait;
        if (total == 0) return new double[5];
        return new double[] {percent(busy, total), percent(user, total), percent(system, total), percent(iowait, total), percent(steal, total)};
    }

    private static double percent(long part, long total) {
        return part * 100.0 / total;
    }

    private static long delta(long now, long before) {
        return now >= before ? now - before : 0;
    }

    private static double rate(long now, long before, double seconds) {
        return seconds > 0 && now >= before ? (now - before) / seconds : 0;
    }

    private static Snapshot.Memory memory(ProcSample now) {
        ProcSample.Memory m = now.memory();
        long available = Math.min(m.available(), m.total());
        return new Snapshot.Memory(m.total(), m.total() - available, available, m.cached(),
                m.swapTotal(), Math.max(0, m.swapTotal() - m.swapFree()));
    }

    private static List<Snapshot.Disk> disks(ProcSample now) {
        List<Filesystem> real = RealFilesystems.select(now.filesystems());
        List<Snapshot.Disk> disks = new ArrayList<>(real.size());
        for (Filesystem fs : real) disks.add(new Snapshot.Disk(fs.mount(), fs.device(), fs.type(), fs.total(), fs.used()));
        return disks;
    }

    private static Snapshot.DiskIo diskIo(ProcSample now, ProcSample before, double seconds) {
        List<BlockDevice> current = PhysicalDisks.select(now.blockDevices());
        List<BlockDevice> earlier = before == null ? List.of() : before.blockDevices();
        List<Snapshot.DiskIo.Device> devices = new ArrayList<>(current.size());
        double read = 0, write = 0;
        for (int i = 0; i < current.size(); i++) {
            BlockDevice d = current.get(i);
            BlockDevice e = byName(earlier, d.name(), BlockDevice::name);
            double r = e == null ? 0 : rate(d.readBytes(), e.readBytes(), seconds);
            double w = e == null ? 0 : rate(d.writtenBytes(), e.writtenBytes(), seconds);
            devices.add(new Snapshot.DiskIo.Device(d.name(), r, w));
            read += r;
            write += w;
        }
        return new Snapshot.DiskIo(read, write, devices);
    }

    private static Snapshot.Network network(ProcSample now, ProcSample before, double seconds) {
        List<NetInterface> earlier = before == null ? List.of() : before.interfaces();
        List<Snapshot.Network.Interface> interfaces = new ArrayList<>(now.interfaces().size());
        double rx = 0, tx = 0;
        for (NetInterface n : now.interfaces()) {
            NetInterface e = byName(earlier, n.name(), NetInterface::name);
            double r = e == null ? 0 : rate(n.rxBytes(), e.rxBytes(), seconds);
            double t = e == null ? 0 : rate(n.txBytes(), e.txBytes(), seconds);
            interfaces.add(new Snapshot.Network.Interface(n.name(), r, t));
            if (!n.loopback()) {
                rx += r;
                tx += t;
            }
        }
        return new Snapshot.Network(rx, tx, interfaces);
    }

    private Snapshot.Processes processes(ProcSample now, ProcSample before, double seconds) {
        double maxCpu = 100.0 * Math.max(1, now.cores().size());
        List<TopProcesses.Ranked> ranked = TopProcesses.select(now.processes(),
                before == null ? null : before.processes(), seconds * 1000, maxCpu);
        List<Snapshot.Processes.Process> top = new ArrayList<>(ranked.size());
        Map<Integer, IoMark> marks = new HashMap<>(ranked.size() * 2);
        for (TopProcesses.Ranked r : ranked) {
            Process p = r.process();
            double readBps = Double.NaN, writeBps = Double.NaN;
            boolean known = p.readBytes() >= 0 && p.writeBytes() >= 0;
            if (known) {
                io[0] = p.readBytes();
                io[1] = p.writeBytes();
            } else {
                known = details.io(p, io);
            }
            if (known) {
                IoMark mark = new IoMark(p.startTime(), io[0], io[1], now.clockNanos());
                IoMark last = ioMarks.get(p.pid());
                if (last == null && before != null && p.readBytes() >= 0) last = earlierCounters(before, p);
                if (last != null && last.startTime == p.startTime() && now.clockNanos() > last.clockNanos) {
                    double s = (now.clockNanos() - last.clockNanos) / 1e9;
                    readBps = rate(io[0], last.read, s);
                    writeBps = rate(io[1], last.write, s);
                }
                marks.put(p.pid(), mark);
            }
            top.add(new Snapshot.Processes.Process(p.pid(), p.name(), details.user(p), r.cpu(), p.rss(), details.command(p),
                    readBps, writeBps));
        }
        ioMarks = marks;
        return new Snapshot.Processes(now.processes().size(), top);
    }

    /** A machine has a few disks and interfaces: a scan costs less than building a map every second. */
    private static <T> T byName(List<T> list, String name, java.util.function.Function<T, String> nameOf) {
        for (T t : list) if (nameOf.apply(t).equals(name)) return t;
        return null;
    }

    /** Users and commands as the sample carried them: uids through the passwd table the script prints. */
    private final class ReportedDetails implements ProcessDetails {
        @Override
        public String user(Process p) {
            if (p.uid() < 0) return "?";
            String name = userNames.get(p.uid());
            return name != null ? name : Integer.toString(p.uid());
        }

        @Override
        public String command(Process p) {
            return ProcessDetails.display(p.command(), p.name());
        }
    }
}
