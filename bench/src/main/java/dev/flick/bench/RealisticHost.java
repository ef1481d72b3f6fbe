package dev.flick.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.flick.collector.Snapshot;

/**
 * A host that behaves like a real one second by second: CPU and load wander, memory drifts by pages, disks fill
 * slowly, I/O and network come in bursts, and the top processes are a stable set of ~60 whose CPU and RSS move a
 * little each second, with a process started or ended now and then. Seeded, so runs compare.
 */
final class RealisticHost {

    private record Proc(int pid, String name, String user, String command, double[] cpu, long[] rss) {}

    private final String serverId;
    private final Random r;
    private final int cores;
    private final List<Proc> procs = new ArrayList<>();
    private double cpu = 20;
    private double load = 1.0;
    private long memUsed = 6_000_000_000L;
    private long rootUsed = 41_000_000_000L;
    private long dataUsed = 120_000_000_000L;
    private int nextPid = 30_000;

    RealisticHost(String serverId, long seed, int cores) {
        this.serverId = serverId;
        this.r = new Random(seed);
        this.cores = cores;
        String[] names = {"java", "postgres", "nginx", "node", "python3", "redis-server", "sshd", "systemd", "containerd",
                "dockerd", "prometheus", "grafana", "cron", "rsyslogd", "kworker/0:1", "journald", "bash", "sleep"};
        for (int i = 0; i < 60; i++) spawn(names[i % names.length]);
    }

    private void spawn(String name) {
        int pid = nextPid++;
        String user = name.equals("postgres") ? "postgres" : r.nextInt(3) == 0 ? "root" : "app";
        String command = switch (name) {
            case "java" -> "/usr/lib/jvm/java-21/bin/java -Xmx2g -jar /opt/app/app-" + r.nextInt(9) + ".jar --spring.profiles.active=prod";
            case "postgres" -> "postgres: app appdb 10.0.0." + r.nextInt(250) + "(" + (40_000 + r.nextInt(20_000)) + ") idle";
            case "node" -> "node /srv/web/server.js --port " + (3000 + r.nextInt(10));
            case "python3" -> "/usr/bin/python3 /opt/worker/worker.py --queue jobs-" + r.nextInt(5);
            default -> "/usr/sbin/" + name;
        };
        procs.add(new Proc(pid, name, user, command, new double[] {r.nextDouble() * (r.nextInt(6) == 0 ? 60 : 2)},
                new long[] {(10 + r.nextInt(800)) * 1_048_576L}));
    }

    Snapshot next(long ts) {
        cpu = clamp(cpu + r.nextGaussian() * 4, 1, 99);
        load = Math.max(0, load * 0.95 + cpu / 100 * cores * 0.05);
        double[] perCore = new double[cores];
        for (int i = 0; i < cores; i++) perCore[i] = round2(clamp(cpu + r.nextGaussian() * 10, 0, 100));
        memUsed = Math.max(1_000_000_000L, memUsed + (r.nextInt(9) - 4) * 4096L * r.nextInt(200));
        if (r.nextInt(10) == 0) rootUsed += 4096L * r.nextInt(100);
        if (r.nextInt(5) == 0) dataUsed += 4096L * r.nextInt(1_000);
        double read = r.nextInt(4) == 0 ? r.nextInt(5_000_000) : r.nextInt(40_000);
        double write = r.nextInt(3) == 0 ? r.nextInt(8_000_000) : r.nextInt(200_000);
        double rx = Math.abs(200_000 + r.nextGaussian() * 150_000);
        double tx = Math.abs(80_000 + r.nextGaussian() * 60_000);
        if (r.nextInt(30) == 0) {
            procs.remove(r.nextInt(procs.size()));
            spawn(r.nextBoolean() ? "bash" : "python3");
        }
        for (Proc p : procs) {
            p.cpu()[0] = clamp(p.cpu()[0] + r.nextGaussian() * (p.cpu()[0] > 5 ? 3 : 0.3), 0, 400);
            if (r.nextInt(4) == 0) p.rss()[0] = Math.max(4096, p.rss()[0] + (r.nextInt(5) - 2) * 4096L * r.nextInt(64));
        }
        List<Proc> sorted = new ArrayList<>(procs);
        sorted.sort(Comparator.comparingDouble((Proc p) -> -p.cpu()[0]));
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        for (Proc p : sorted.subList(0, 10)) {
            top.add(new Snapshot.Processes.Process(p.pid(), p.name(), p.user(), round2(p.cpu()[0]), p.rss()[0], p.command()));
        }
        double user = round2(cpu * 0.7);
        return new Snapshot(serverId, ts,
                new Snapshot.Cpu(round2(cpu), user, round2(cpu * 0.25), round2(cpu * 0.05), 0, perCore,
                        round2(load), round2(load * 0.9), round2(load * 0.8)),
                new Snapshot.Memory(16_000_000_000L, memUsed, 16_000_000_000L - memUsed, 3_000_000_000L, 2_000_000_000L, 100_000_000L),
                List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 100_000_000_000L, rootUsed),
                        new Snapshot.Disk("/data", "/dev/vdb1", "xfs", 500_000_000_000L, dataUsed),
                        new Snapshot.Disk("/boot", "/dev/vda2", "ext4", 1_000_000_000L, 300_000_000L)),
                new Snapshot.DiskIo(Math.round(read + write / 9), Math.round(write), List.of(
                        new Snapshot.DiskIo.Device("vda", Math.round(read), Math.round(write)),
                        new Snapshot.DiskIo.Device("vdb", Math.round(write / 9), 0))),
                new Snapshot.Network(Math.round(rx), Math.round(tx), List.of(
                        new Snapshot.Network.Interface("lo", 4_000, 4_000),
                        new Snapshot.Network.Interface("eth0", Math.round(rx), Math.round(tx)))),
                new Snapshot.Processes(180 + procs.size(), top));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
