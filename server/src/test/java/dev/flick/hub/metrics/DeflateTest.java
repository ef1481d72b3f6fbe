package dev.flick.hub.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;

import dev.flick.collector.Snapshot;
import dev.flick.collector.SnapshotJson;

import org.junit.jupiter.api.Test;

class DeflateTest {

    private static String snapshotJson() {
        return SnapshotJson.write(new Snapshot("3f2c9a10-5b7e-4d1a-9f00-1234567890ab", 1_795_662_720_000L,
                new Snapshot.Cpu(23.4, 15.2, 6.1, 2.1, 0, new double[] {20.5, 26.25}, 0.8, 0.6, 0.5),
                new Snapshot.Memory(8_000_000_000L, 3_000_000_000L, 5_000_000_000L, 1_000_000_000L, 0, 0),
                List.of(new Snapshot.Disk("/", "/dev/vda", "ext4", 100_000_000_000L, 30_000_000_000L)),
                new Snapshot.DiskIo(1_000, 20_000, List.of(new Snapshot.DiskIo.Device("vda", 1_000, 20_000))),
                new Snapshot.Network(5_000, 2_000, List.of(new Snapshot.Network.Interface("eth0", 5_000, 2_000))),
                new Snapshot.Processes(150, List.of(
                        new Snapshot.Processes.Process(812, "sshd", "root", 0.5, 9_000_000, "sshd: /usr/sbin/sshd -D"),
                        new Snapshot.Processes.Process(4242, "java", "app", 95.5, 900_000_000, "/usr/bin/java -jar /opt/app/app.jar")))),
                "type", "snapshot");
    }

    @Test
    void roundTripsAndTheDictionaryMakesDetailsSmaller() {
        String json = snapshotJson();
        byte[] packed = Deflate.compress(json);
        assertThat(Deflate.inflate(packed)).isEqualTo(json);
        assertThat(packed.length).as("with the dictionary").isLessThan(plainDeflate(json).length * 3 / 4);
    }

    @Test
    void rowsWrittenWithoutTheDictionaryStillRead() {
        String json = snapshotJson();
        assertThat(Deflate.inflate(plainDeflate(json))).isEqualTo(json);
    }

    @Test
    void corruptDetailIsReportedNotMisread() {
        byte[] packed = Deflate.compress(snapshotJson());
        packed[packed.length / 2] ^= 0x55;
        assertThatThrownBy(() -> Deflate.inflate(packed)).isInstanceOf(IllegalStateException.class);
    }

    private static byte[] plainDeflate(String json) {
        Deflater d = new Deflater(4);
        d.setInput(json.getBytes(StandardCharsets.UTF_8));
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }
}
