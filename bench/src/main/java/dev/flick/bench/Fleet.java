package dev.flick.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.flick.collector.Snapshot;

/** Realistic snapshots for simulated servers: 4 cores, 2 disks, 3 interfaces, 10–20 processes with command lines. */
final class Fleet {

    private Fleet() {}

    static Snapshot template(String serverId) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        List<Snapshot.Processes.Process> top = new ArrayList<>();
        String[] names = {"java", "postgres", "nginx", "node", "python3", "redis-server", "sshd", "systemd", "containerd",
                "dockerd", "prometheus", "grafana", "cron", "rsyslogd"};
        for (int i = 0; i < 14; i++) {
            String name = names[i % names.length];
            top.add(new Snapshot.Processes.Process(1000 + i * 37, name, i % 3 == 0 ? "root" : "app",
                    r.nextDouble(0, 150), r.nextLong(10_000_000, 2_000_000_000L),
                    "/usr/bin/" + name + " --config /etc/" + name + "/" + name + ".conf --workers 4 --log-level info"));
        }
        return new Snapshot(serverId, 0,
                new Snapshot.Cpu(r.nextDouble(5, 80), 20, 5, 1, 0, new double[] {30.5, 12.25, 55, 7.5}, 1.2, 0.9, 0.7),
                new Snapshot.Memory(16_000_000_000L, r.nextLong(2_000_000_000L, 12_000_000_000L), 8_000_000_000L,
                        3_000_000_000L, 2_000_000_000L, 100_000_000L),
                List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 100_000_000_000L, 40_000_000_000L),
                        new Snapshot.Disk("/data", "/dev/vdb1", "xfs", 500_000_000_000L, 120_000_000_000L)),
                new Snapshot.DiskIo(120_000, 450_000, List.of(new Snapshot.DiskIo.Device("vda", 100_000, 400_000),
                        new Snapshot.DiskIo.Device("vdb", 20_000, 50_000))),
                new Snapshot.Network(250_000, 90_000, List.of(new Snapshot.Network.Interface("lo", 5_000, 5_000),
                        new Snapshot.Network.Interface("eth0", 240_000, 85_000), new Snapshot.Network.Interface("eth1", 10_000, 5_000))),
                new Snapshot.Processes(180, top));
    }
}
