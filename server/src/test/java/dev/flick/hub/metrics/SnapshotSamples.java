package dev.flick.hub.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import dev.flick.collector.Snapshot;

/** Snapshots for the codec tests: recorded from a real host, a realistic synthetic host, and random extremes. */
final class SnapshotSamples {

    static final String SERVER = "3f2c9a10-5b7e-4d1a-9f00-1234567890ab";

    private SnapshotSamples() {}

    /** The fixture recorded on a real host with the local collector at 1 s (CollectorMain --interval 1s --print). */
    static List<Snapshot> recorded() {
        List<Snapshot> out = new ArrayList<>();
        try (InputStream in = SnapshotSamples.class.getResourceAsStream("/snapshots/recorded-host.jsonl")) {
            if (in == null) throw new IllegalStateException("missing /snapshots/recorded-host.jsonl");
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) out.add(StoredSnapshot.fromJson(SERVER, line.getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** What the JSON contract keeps of a snapshot: percentages to 0.01, rates whole, NaN and infinities 0. */
    static Snapshot atJsonPrecision(Snapshot s) {
        Snapshot.Cpu c = s.cpu();
        double[] cores = new double[c.cores().length];
        for (int i = 0; i < cores.length; i++) cores[i] = percent(c.cores()[i]);
        return new Snapshot(s.serverId(), s.ts(),
                new Snapshot.Cpu(percent(c.usage()), percent(c.user()), percent(c.system()), percent(c.iowait()),
                        percent(c.steal()), cores, percent(c.load1()), percent(c.load5()), percent(c.load15())),
                s.memory(), s.disks(),
                new Snapshot.DiskIo(rate(s.diskIo().readBps()), rate(s.diskIo().writeBps()), s.diskIo().devices().stream()
                        .map(d -> new Snapshot.DiskIo.Device(d.name(), rate(d.readBps()), rate(d.writeBps()))).toList()),
                new Snapshot.Network(rate(s.network().rxBps()), rate(s.network().txBps()), s.network().interfaces().stream()
                        .map(f -> new Snapshot.Network.Interface(f.name(), rate(f.rxBps()), rate(f.txBps()))).toList()),
                new Snapshot.Processes(s.processes().count(), s.processes().top().stream()
                        .map(p -> new Snapshot.Processes.Process(p.pid(), p.name(), p.user(), percent(p.cpu()), p.rss(), p.command(),
                                optionalRate(p.readBps()), optionalRate(p.writeBps())))
                        .toList()),
                s.containers() == null ? null : s.containers().stream()
                        .map(k -> new Snapshot.Container(k.id(), k.name(), k.image(), k.state(), k.health(), k.restarts(),
                                k.startedAt(), percent(k.cpu()), k.memory(), k.memoryLimit(), rate(k.rxBps()), rate(k.txBps()),
                                rate(k.readBps()), rate(k.writeBps()), k.pids()))
                        .toList(), inventoryAtJsonPrecision(s).sensors(), inventoryAtJsonPrecision(s).gpus(),
                inventoryAtJsonPrecision(s).diskHealth(), inventoryAtJsonPrecision(s).services());
    }

    /** The inventory sections as their JSON keeps them: read back through the lenient reader. */
    private static Snapshot inventoryAtJsonPrecision(Snapshot s) {
        if (s.sensors() == null && s.gpus() == null && s.diskHealth() == null && s.services() == null) return s;
        return StoredSnapshot.fromJson(s.serverId(), dev.flick.collector.SnapshotJson.write(s).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An unknown rate stays unknown (left out of the JSON). */
    static double optionalRate(double v) {
        return Double.isFinite(v) ? Math.round(v) : Double.NaN;
    }

    /** Every field at full precision (doubles as Double.toString, strings escaped), for exact comparison. */
    static String exact(Snapshot s) {
        StringBuilder b = new StringBuilder(512);
        b.append(s.serverId()).append(' ').append(s.ts()).append(" cpu");
        Snapshot.Cpu c = s.cpu();
        for (double v : new double[] {c.usage(), c.user(), c.system(), c.iowait(), c.steal(), c.load1(), c.load5(), c.load15()}) {
            b.append(' ').append(v);
        }
        b.append(" cores").append(java.util.Arrays.toString(c.cores()));
        Snapshot.Memory m = s.memory();
        b.append(" mem ").append(m.total()).append(' ').append(m.used()).append(' ').append(m.available()).append(' ')
                .append(m.cached()).append(' ').append(m.swapTotal()).append(' ').append(m.swapUsed());
        for (Snapshot.Disk d : s.disks()) {
            b.append("\n disk ").append(quoted(d.mount())).append(quoted(d.device())).append(quoted(d.fs()))
                    .append(' ').append(d.total()).append(' ').append(d.used());
        }
        b.append("\n io ").append(s.diskIo().readBps()).append(' ').append(s.diskIo().writeBps());
        for (Snapshot.DiskIo.Device d : s.diskIo().devices()) {
            b.append("\n dev ").append(quoted(d.name())).append(' ').append(d.readBps()).append(' ').append(d.writeBps());
        }
        b.append("\n net ").append(s.network().rxBps()).append(' ').append(s.network().txBps());
        for (Snapshot.Network.Interface f : s.network().interfaces()) {
            b.append("\n if ").append(quoted(f.name())).append(' ').append(f.rxBps()).append(' ').append(f.txBps());
        }
        b.append("\n processes ").append(s.processes().count());
        for (Snapshot.Processes.Process p : s.processes().top()) {
            b.append("\n proc ").append(p.pid()).append(quoted(p.name())).append(quoted(p.user())).append(' ')
                    .append(p.cpu()).append(' ').append(p.rss()).append(quoted(p.command()));
        }
        if (s.containers() == null) b.append("\n containers null");
        else for (Snapshot.Container k : s.containers()) {
            b.append("\n container").append(quoted(k.id())).append(quoted(k.name())).append(quoted(k.image())).append(' ')
                    .append(k.state()).append(' ').append(k.health()).append(' ').append(k.restarts()).append(' ')
                    .append(k.startedAt()).append(' ').append(k.cpu()).append(' ').append(k.memory()).append(' ')
                    .append(k.memoryLimit()).append(' ').append(k.rxBps()).append(' ').append(k.txBps()).append(' ')
                    .append(k.readBps()).append(' ').append(k.writeBps()).append(' ').append(k.pids());
        }
        return b.append(inventory(s)).toString();
    }

    /** The inventory sections and process I/O, at full precision. */
    private static String inventory(Snapshot s) {
        StringBuilder b = new StringBuilder();
        for (Snapshot.Processes.Process p : s.processes().top()) b.append("\n io ").append(p.readBps()).append(' ').append(p.writeBps());
        return b.append("\n sensors ").append(s.sensors()).append("\n gpus ").append(s.gpus())
                .append("\n health ").append(s.diskHealth()).append("\n services ").append(s.services()).toString();
    }

    static String exact(List<Snapshot> snapshots) {
        StringBuilder b = new StringBuilder();
        for (Snapshot s : snapshots) b.append(exact(s)).append("\n\n");
        return b.toString();
    }

    private static String quoted(String s) {
        if (s == null) return " null";
        StringBuilder b = new StringBuilder(s.length() + 3).append(" \"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c) || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static double percent(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : 0;
    }

    static double rate(double v) {
        return Double.isFinite(v) ? Math.round(v) : 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Random extremes

    /**
     * A block of random snapshots: any list lengths (none to hundreds), any strings, extreme numbers, timestamps with
     * irregular gaps. Parts recur across the block (same pids, mounts, interfaces) so keyed deltas are exercised.
     */
    static List<Snapshot> randomBlock(Random r) {
        int n = switch (r.nextInt(6)) {
            case 0 -> r.nextInt(2);
            case 1 -> 300 + r.nextInt(50);
            default -> 2 + r.nextInt(80);
        };
        Pool pool = new Pool(r);
        List<Snapshot> out = new ArrayList<>(n);
        long ts = switch (r.nextInt(4)) {
            case 0 -> Long.MIN_VALUE + r.nextInt(1000);
            case 1 -> r.nextLong();
            default -> 1_700_000_000_000L + r.nextInt(1_000_000_000);
        };
        for (int i = 0; i < n; i++) {
            out.add(randomSnapshot(r, pool, ts));
            long gap = switch (r.nextInt(10)) {
                case 0 -> 1 + r.nextInt(5);
                case 1 -> 1 + (long) r.nextInt(Integer.MAX_VALUE) * r.nextInt(1000);
                default -> 1000 + r.nextInt(41) - 20;
            };
            if (ts > Long.MAX_VALUE - gap - 1) break;
            ts += gap;
        }
        return out;
    }

    /** The parts one random block draws from. */
    private static final class Pool {
        final int cores;
        final List<String[]> disks = new ArrayList<>();
        final List<String> devices = new ArrayList<>();
        final List<String> interfaces = new ArrayList<>();
        final List<Object[]> processes = new ArrayList<>();
        /** null: the block's host has no engine. */
        List<String[]> containers;

        Pool(Random r) {
            cores = switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 128;
                default -> 1 + r.nextInt(16);
            };
            int disks = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(12);
            for (int i = 0; i < disks; i++) this.disks.add(new String[] {text(r), text(r), text(r)});
            int devices = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(10);
            for (int i = 0; i < devices; i++) this.devices.add(text(r));
            int interfaces = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(10);
            // Well-known names too: loopback is predicted differently.
            String[] known = {"lo", "lo0", "eth0", "docker0"};
            for (int i = 0; i < interfaces; i++) this.interfaces.add(r.nextInt(3) == 0 ? known[r.nextInt(known.length)] : text(r));
            int processCount = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 20 : 260);
            for (int i = 0; i < processCount; i++) {
                int pid = switch (r.nextInt(10)) {
                    case 0 -> Integer.MIN_VALUE + r.nextInt(3);
                    case 1 -> Integer.MAX_VALUE - r.nextInt(3);
                    default -> r.nextInt(4_000_000);
                };
                processes.add(new Object[] {pid, text(r), text(r), text(r)});
            }
            if (r.nextInt(3) > 0) {
                containers = new ArrayList<>();
                int n = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(40);
                for (int i = 0; i < n; i++) containers.add(new String[] {text(r), text(r), text(r)});
            }
        }
    }

    private static Snapshot randomSnapshot(Random r, Pool pool, long ts) {
        int coreCount = r.nextInt(10) == 0 ? r.nextInt(pool.cores + 1) : pool.cores;
        double[] cores = new double[coreCount];
        for (int i = 0; i < coreCount; i++) cores[i] = percentValue(r);
        Snapshot.Cpu cpu = new Snapshot.Cpu(percentValue(r), percentValue(r), percentValue(r), percentValue(r),
                percentValue(r), cores, percentValue(r), percentValue(r), percentValue(r));
        Snapshot.Memory memory = new Snapshot.Memory(bytes(r), bytes(r), bytes(r), bytes(r), bytes(r), bytes(r));
        List<Snapshot.Disk> disks = new ArrayList<>();
        for (String[] d : pick(r, pool.disks)) disks.add(new Snapshot.Disk(d[0], d[1], d[2], bytes(r), bytes(r)));
        List<Snapshot.DiskIo.Device> devices = new ArrayList<>();
        for (String d : pick(r, pool.devices)) devices.add(new Snapshot.DiskIo.Device(d, rateValue(r), rateValue(r)));
        List<Snapshot.Network.Interface> interfaces = new ArrayList<>();
        for (String f : pick(r, pool.interfaces)) interfaces.add(new Snapshot.Network.Interface(f, rateValue(r), rateValue(r)));
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        for (Object[] p : pick(r, pool.processes)) {
            top.add(new Snapshot.Processes.Process((int) p[0], (String) p[1], (String) p[2], percentValue(r), bytes(r), (String) p[3]));
        }
        int count = switch (r.nextInt(4)) {
            case 0 -> r.nextInt();
            case 1 -> Integer.MAX_VALUE;
            default -> top.size() + r.nextInt(500);
        };
        List<Snapshot.Container> containers = null;
        if (pool.containers != null && r.nextInt(8) > 0) {
            containers = new ArrayList<>();
            for (String[] c : pick(r, pool.containers)) {
                var states = Snapshot.Container.State.values();
                var health = Snapshot.Container.Health.values();
                containers.add(new Snapshot.Container(c[0], c[1], c[2], states[r.nextInt(states.length)],
                        health[r.nextInt(health.length)], r.nextInt(3) == 0 ? r.nextInt() : r.nextInt(5), bytes(r),
                        percentValue(r), bytes(r), bytes(r), rateValue(r), rateValue(r), rateValue(r), rateValue(r),
                        r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(50)));
            }
        }
        return new Snapshot(SERVER, ts, cpu, memory, disks,
                new Snapshot.DiskIo(rateValue(r), rateValue(r), devices),
                new Snapshot.Network(rateValue(r), rateValue(r), interfaces),
                new Snapshot.Processes(count, top))
                .withContainers(containers);
    }

    /** Mostly the whole pool in order, sometimes a shuffled subset, sometimes with repeats. */
    private static <T> List<T> pick(Random r, List<T> pool) {
        if (pool.isEmpty() || r.nextInt(3) > 0) return pool;
        List<T> out = new ArrayList<>();
        int n = r.nextInt(pool.size() + 2);
        for (int i = 0; i < n; i++) out.add(pool.get(r.nextInt(pool.size())));
        return out;
    }

    private static double percentValue(Random r) {
        return switch (r.nextInt(14)) {
            case 0 -> 0;
            case 1 -> Double.NaN;
            case 2 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3 -> -r.nextDouble() * 100;
            case 4 -> r.nextDouble() * 1e13; // large, yet each hundredth still survives a double's rounding

            case 5 -> r.nextBoolean() ? 1e300 : -1e300;
            case 6 -> -0.0;
            case 7 -> 0.005;
            case 8 -> r.nextInt(10_000) / 100.0;
            default -> r.nextDouble() * 100;
        };
    }

    private static double rateValue(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> Double.NaN;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> 1e30;
            case 4 -> r.nextDouble() * 1e18;
            case 5 -> -r.nextDouble() * 1e6;
            case 6 -> 0.5;
            default -> r.nextDouble() * 1e7;
        };
    }

    private static long bytes(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE - r.nextInt(3);
            case 2 -> Long.MIN_VALUE + r.nextInt(3);
            case 3 -> r.nextLong();
            case 4 -> -1 - r.nextInt(1000);
            default -> 4096L * r.nextInt(50_000_000);
        };
    }

    /** Any text: null, empty, ASCII, Hangul, emoji, unpaired surrogates, control characters, up to ~300 chars. */
    static String text(Random r) {
        switch (r.nextInt(12)) {
            case 0:
                return null;
            case 1:
                return "";
            default:
                break;
        }
        int length = r.nextInt(8) == 0 ? 150 + r.nextInt(150) : r.nextInt(24);
        StringBuilder b = new StringBuilder(length);
        while (b.length() < length) {
            switch (r.nextInt(9)) {
                case 0 -> b.append((char) (0xAC00 + r.nextInt(11172))); // Hangul
                case 1 -> b.appendCodePoint(0x1F600 + r.nextInt(80)); // emoji: a surrogate pair
                case 2 -> b.append((char) (0xD800 + r.nextInt(0x800))); // an unpaired surrogate
                case 3 -> b.append((char) r.nextInt(0x20)); // control characters, NUL included
                case 4 -> b.append((char) (0x80 + r.nextInt(0x780))); // two-byte UTF-8
                case 5 -> b.append(" --password=s3cret ");
                default -> b.append((char) (0x20 + r.nextInt(0x5F)));
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A realistic synthetic host

    /**
     * A busy 8-core VM sampled every second with the collector's jitter: noisy CPU per core, memory moving in
     * pages, four mounts, three disks with bursty writes, four interfaces (eth0 busy), ~180 processes of which the
     * top 10 by CPU (then memory) are listed, short-lived jobs now and then.
     */
    static List<Snapshot> realistic(long seed, int count) {
        return new RealisticHost(new Random(seed)).take(count);
    }

    private static final class RealisticHost {
        private final Random r;
        private long ts = 1_795_662_720_000L;
        private long previousTs = ts - 1000;
        private long loadTs = ts - 5000;
        private final double[] coreLevel = new double[8];
        private double load1 = 1.2, load5 = 1.0, load15 = 0.9;
        private final long memTotal = 16L << 30;
        private long memUsed = 6L << 30, cached = 5L << 30, swapUsed = 120L << 20;
        private final long[] diskTotal = {100L << 30, 1L << 30, 500L << 30, 200L << 30};
        private final long[] diskUsed = {41_234_567_168L, 262_144_000L, 312_000_000_000L, 77_111_222_272L};
        private final String[][] disks = {{"/", "/dev/sda1", "ext4"}, {"/boot", "/dev/sda2", "vfat"},
                {"/home", "/dev/sdb1", "xfs"}, {"/var/lib/docker", "/dev/nvme0n1p1", "ext4"}};
        private final List<Proc> procs = new ArrayList<>();
        private int nextPid = 40_000;

        private static final class Proc {
            final int pid;
            final String name, user, command;
            final double cpuLevel;
            long rss;
            double cpu;
            int ttl;

            Proc(int pid, String name, String user, String command, double cpuLevel, long rss, int ttl) {
                this.pid = pid;
                this.name = name;
                this.user = user;
                this.command = command;
                this.cpuLevel = cpuLevel;
                this.rss = rss;
                this.ttl = ttl;
            }
        }

        RealisticHost(Random r) {
            this.r = r;
            for (int i = 0; i < coreLevel.length; i++) coreLevel[i] = 10 + r.nextDouble() * 30;
            add(1, "systemd", "root", "/sbin/init splash", 0.05, 12_800_000);
            add(612, "sshd", "root", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups", 0.02, 8_900_000);
            add(840, "dockerd", "root", "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock", 1.5, 98_000_000);
            add(901, "containerd", "root", "/usr/bin/containerd", 0.8, 52_000_000);
            add(1210, "java", "app", "/usr/lib/jvm/java-21-openjdk-amd64/bin/java -Xms2g -Xmx4g -XX:+UseG1GC "
                    + "-Dspring.profiles.active=prod -Dserver.port=8080 -jar /opt/shop/shop-api-3.14.2.jar --spring.config.location=/etc/shop/", 45, 2_900_000_000L);
            add(1302, "postgres", "postgres", "/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main -c config_file=/etc/postgresql/16/main/postgresql.conf", 0.3, 210_000_000);
            for (int i = 0; i < 8; i++) {
                add(1400 + i, "postgres", "postgres", "postgres: 16/main: shop shop 172.18.0." + (3 + i) + "(4" + (1000 + i * 37) + ") idle", 6, 160_000_000 + i * 3_000_000L);
            }
            add(1500, "postgres", "postgres", "postgres: 16/main: checkpointer", 0.1, 80_000_000);
            add(1501, "postgres", "postgres", "postgres: 16/main: walwriter", 0.2, 20_000_000);
            add(1620, "nginx", "root", "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;", 0.01, 6_000_000);
            for (int i = 0; i < 4; i++) add(1621 + i, "nginx", "www-data", "nginx: worker process", 2.5, 14_000_000);
            add(1700, "redis-server", "redis", "/usr/bin/redis-server 127.0.0.1:6379", 1.2, 45_000_000);
            add(1800, "node", "app", "node /opt/shop/frontend/server/index.mjs --port 3000 --host 0.0.0.0", 12, 380_000_000);
            add(1900, "python3", "app", "/opt/shop/venv/bin/python3 /opt/shop/worker/worker.py --queue emails --concurrency 4", 8, 190_000_000);
            add(2000, "prometheus-node", "prometheus", "/usr/bin/prometheus-node-exporter --collector.systemd", 0.4, 22_000_000);
            add(2100, "flick-agent", "flick", "/usr/bin/java -Xmx64m -jar /opt/flick/flick-agent.jar --hub wss://hub.example.com", 0.6, 95_000_000);
            for (int i = 0; i < 6; i++) add(30 + i, "kworker/" + i + ":1-events", "root", "[kworker/" + i + ":1-events]", 0.1, 0);
            for (int i = 0; i < 150; i++) add(2200 + i * 7, "bash", "app", "-bash", 0, 4096L * (1_000 + r.nextInt(500)));
        }

        /** rss is counted in 4 KiB pages. */
        private void add(int pid, String name, String user, String command, double cpuLevel, long rss) {
            procs.add(new Proc(pid, name, user, command, cpuLevel, rss / 4096 * 4096, Integer.MAX_VALUE));
        }

        List<Snapshot> take(int count) {
            List<Snapshot> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(next());
                ts += r.nextInt(30) == 0 ? 2000 + r.nextInt(9) : 995 + r.nextInt(11);
            }
            return out;
        }

        private Snapshot next() {
            // As the collector sees it: per-core tick deltas (USER_HZ 100), the aggregate line their sum.
            // The collector divides by its monotonic clock, a fraction of a millisecond off the wall-clock ts.
            double elapsed = (ts - previousTs + r.nextGaussian() * 0.3) / 1000.0;
            previousTs = ts;
            double[] cores = new double[coreLevel.length];
            long busyAll = 0, userAll = 0, systemAll = 0, iowaitAll = 0, stealAll = 0, totalAll = 0;
            for (int i = 0; i < cores.length; i++) {
                coreLevel[i] = clamp(coreLevel[i] + r.nextGaussian() * 3, 2, 95);
                // Each core's tick count straddles the interval on its own: 98–102 at 1 s, as recorded hosts show.
                long total = Math.round(100 * elapsed) + (r.nextInt(3) == 0 ? r.nextInt(5) - 2 : 0);
                long busy = Math.round(clamp(coreLevel[i] + r.nextGaussian() * 8, 0, 100) * total / 100);
                long system = Math.round(busy * (0.2 + r.nextDouble() * 0.1));
                long steal = r.nextInt(20) == 0 ? Math.min(busy - system, 1) : 0;
                long iowait = Math.min(total - busy, r.nextInt(5) == 0 ? 1 + r.nextInt(3) : 0);
                cores[i] = busy * 100.0 / total;
                busyAll += busy;
                systemAll += system;
                stealAll += steal;
                userAll += busy - system - steal;
                iowaitAll += iowait;
                totalAll += total;
            }
            double usage = busyAll * 100.0 / totalAll;
            // The kernel updates load averages every 5 s.
            if (ts - loadTs >= 5000) {
                loadTs = ts;
                double runnable = busyAll / (100.0 * elapsed) + r.nextInt(3);
                load1 = load1 * 0.92 + runnable * 0.08;
                load5 = load5 * 0.983 + runnable * 0.017;
                load15 = load15 * 0.9945 + runnable * 0.0055;
            }
            double user = userAll * 100.0 / totalAll, system = systemAll * 100.0 / totalAll;
            double iowait = iowaitAll * 100.0 / totalAll, steal = stealAll * 100.0 / totalAll;

            memUsed = clampL(memUsed + 4096L * (long) (r.nextGaussian() * 400), 1L << 30, memTotal - (1L << 30));
            cached = clampL(cached + 4096L * (long) (r.nextGaussian() * 60), 1L << 30, memTotal - memUsed);
            if (r.nextInt(40) == 0) swapUsed += 4096L * (r.nextInt(64) - 32);
            Snapshot.Memory memory = new Snapshot.Memory(memTotal, memUsed, memTotal - memUsed, cached, 2L << 30, swapUsed);

            List<Snapshot.Disk> diskList = new ArrayList<>();
            for (int i = 0; i < disks.length; i++) {
                if (i != 1 && r.nextInt(3) == 0) diskUsed[i] += 4096L * (r.nextInt(200) - 80);
                diskList.add(new Snapshot.Disk(disks[i][0], disks[i][1], disks[i][2], diskTotal[i], diskUsed[i]));
            }

            double sdaW = r.nextInt(4) == 0 ? 0 : 4096 * (1 + r.nextInt(400)) / elapsed;
            double sdaR = r.nextInt(6) == 0 ? 4096 * (1 + r.nextInt(50)) / elapsed : 0;
            double sdbW = r.nextInt(10) == 0 ? 4096 * (1 + r.nextInt(100)) / elapsed : 0;
            double nvW = 4096 * (10 + r.nextInt(2000)) / elapsed;
            double nvR = r.nextInt(3) == 0 ? 4096 * (1 + r.nextInt(300)) / elapsed : 0;
            List<Snapshot.DiskIo.Device> devices = List.of(new Snapshot.DiskIo.Device("sda", sdaR, sdaW),
                    new Snapshot.DiskIo.Device("sdb", 0, sdbW), new Snapshot.DiskIo.Device("nvme0n1", nvR, nvW));

            double ethRx = Math.abs(200_000 + r.nextGaussian() * 120_000) / elapsed;
            double ethTx = Math.abs(900_000 + r.nextGaussian() * 500_000) / elapsed;
            double loRx = (2000 + r.nextInt(30_000)) / elapsed;
            double dockRx = r.nextInt(3) == 0 ? (60 + r.nextInt(5000)) / elapsed : 0;
            double dockTx = r.nextInt(3) == 0 ? (60 + r.nextInt(5000)) / elapsed : 0;
            double vethRx = r.nextInt(4) == 0 ? (60 + r.nextInt(2000)) / elapsed : 0;
            List<Snapshot.Network.Interface> interfaces = List.of(new Snapshot.Network.Interface("lo", loRx, loRx),
                    new Snapshot.Network.Interface("eth0", ethRx, ethTx), new Snapshot.Network.Interface("docker0", dockRx, dockTx),
                    new Snapshot.Network.Interface("veth3f9a1c2", vethRx, dockRx));

            if (r.nextInt(25) == 0) {
                String[] jobs = {"/bin/sh -c /usr/local/bin/backup.sh --target s3://backups/shop --compress zstd",
                        "/usr/bin/python3 /usr/lib/cron/report.py --since 1h", "gzip -9 /var/log/nginx/access.log.1",
                        "/usr/bin/git -C /opt/shop fetch --quiet origin main"};
                String command = jobs[r.nextInt(jobs.length)];
                procs.add(new Proc(nextPid, command.substring(command.lastIndexOf('/') + 1).split(" ")[0], "app", command,
                        40 + r.nextDouble() * 50, 4096L * (5_000 + r.nextInt(20_000)), 3 + r.nextInt(20)));
                nextPid += 1 + r.nextInt(40);
            }
            for (Proc p : procs) {
                long ticks = p.cpuLevel == 0 ? 0 : Math.max(0, Math.round(p.cpuLevel + r.nextGaussian() * p.cpuLevel * 0.4));
                p.cpu = ticks * 10 * 100.0 / (elapsed * 1000);
                if (p.rss > 0 && r.nextInt(4) == 0) p.rss += 4096L * (r.nextInt(64) - 28);
                p.ttl--;
            }
            procs.removeIf(p -> p.ttl <= 0);
            List<Proc> byCpu = new ArrayList<>(procs);
            byCpu.sort(Comparator.comparingDouble((Proc p) -> -p.cpu).thenComparingLong(p -> -p.rss));
            List<Proc> byMem = new ArrayList<>(procs);
            byMem.sort(Comparator.comparingLong((Proc p) -> -p.rss));
            List<Proc> shown = new ArrayList<>(byCpu.subList(0, Math.min(10, byCpu.size())));
            for (Proc p : byMem.subList(0, Math.min(10, byMem.size()))) if (!shown.contains(p)) shown.add(p);
            List<Snapshot.Processes.Process> top = new ArrayList<>();
            for (Proc p : shown) top.add(new Snapshot.Processes.Process(p.pid, p.name, p.user, p.cpu, p.rss, p.command));
            return atJsonPrecision(new Snapshot(SERVER, ts,
                    new Snapshot.Cpu(usage, user, system, iowait, steal, cores, load1, load5, load15),
                    memory, diskList,
                    new Snapshot.DiskIo(sdaR + nvR, sdaW + sdbW + nvW, devices),
                    new Snapshot.Network(ethRx + dockRx + vethRx, ethTx + dockTx + dockRx, interfaces),
                    new Snapshot.Processes(procs.size() - 4 + r.nextInt(9), top)));
        }

        private static double clamp(double v, double lo, double hi) {
            return Math.max(lo, Math.min(hi, v));
        }

        private static long clampL(long v, long lo, long hi) {
            return Math.max(lo, Math.min(hi, v));
        }
    }
}
