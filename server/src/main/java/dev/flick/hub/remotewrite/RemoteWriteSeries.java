package dev.flick.hub.remotewrite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.flick.collector.Snapshot;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * A snapshot as Prometheus remote-write 1.0 time series (prompb {@code WriteRequest}), one sample each, named as in
 * docs/prometheus-remote-write.md. The encoding is the serialized {@code timeseries} entries alone: concatenated
 * encodings are themselves a valid WriteRequest (repeated fields merge), so the queue stores them per snapshot and a
 * batch is their concatenation.
 * <p>Written with protobuf-java's {@link CodedOutputStream} and the field numbers of prompb/types.proto and
 * remote.proto rather than generated classes: the build has no protoc step, the four messages have six fields in
 * all, and this path allocates no message objects per sample.
 */
final class RemoteWriteSeries {

    // prompb: WriteRequest.timeseries = 1; TimeSeries.labels = 1, samples = 2; Label.name = 1, value = 2;
    // Sample.value = 1, timestamp = 2.
    static final int WRITE_REQUEST_TIMESERIES = 1;
    static final int TIMESERIES_LABELS = 1;
    static final int TIMESERIES_SAMPLES = 2;

    private RemoteWriteSeries() {}

    /** One series: its metric name, its labels besides the common ones, its value. */
    record Series(String name, Map<String, String> labels, double value) {}

    static List<Series> of(Snapshot s) {
        List<Series> out = new ArrayList<>(64);
        Snapshot.Cpu cpu = s.cpu();
        if (cpu != null) {
            out.add(new Series("flick_cpu_usage_percent", Map.of(), cpu.usage()));
            out.add(new Series("flick_cpu_mode_percent", Map.of("mode", "user"), cpu.user()));
            out.add(new Series("flick_cpu_mode_percent", Map.of("mode", "system"), cpu.system()));
            out.add(new Series("flick_cpu_mode_percent", Map.of("mode", "iowait"), cpu.iowait()));
            out.add(new Series("flick_cpu_mode_percent", Map.of("mode", "steal"), cpu.steal()));
            if (cpu.cores() != null) {
                for (int i = 0; i < cpu.cores().length; i++) {
                    out.add(new Series("flick_cpu_core_usage_percent", Map.of("cpu", Integer.toString(i)), cpu.cores()[i]));
                }
            }
            out.add(new Series("node_load1", Map.of(), cpu.load1()));
            out.add(new Series("node_load5", Map.of(), cpu.load5()));
            out.add(new Series("node_load15", Map.of(), cpu.load15()));
        }
        Snapshot.Memory m = s.memory();
        if (m != null) {
            out.add(new Series("node_memory_MemTotal_bytes", Map.of(), m.total()));
            out.add(new Series("node_memory_MemAvailable_bytes", Map.of(), m.available()));
            out.add(new Series("node_memory_Cached_bytes", Map.of(), m.cached()));
            out.add(new Series("flick_memory_used_bytes", Map.of(), m.used()));
            out.add(new Series("node_memory_SwapTotal_bytes", Map.of(), m.swapTotal()));
            out.add(new Series("node_memory_SwapFree_bytes", Map.of(), m.swapTotal() - m.swapUsed()));
        }
        if (s.disks() != null) {
            for (Snapshot.Disk d : s.disks()) {
                Map<String, String> l = Map.of("mountpoint", d.mount(), "device", nz(d.device()), "fstype", nz(d.fs()));
                out.add(new Series("node_filesystem_size_bytes", l, d.total()));
                out.add(new Series("node_filesystem_free_bytes", l, d.total() - d.used()));
            }
        }
        if (s.diskIo() != null && s.diskIo().devices() != null) {
            for (Snapshot.DiskIo.Device d : s.diskIo().devices()) {
                out.add(new Series("flick_disk_read_bytes_per_second", Map.of("device", d.name()), d.readBps()));
                out.add(new Series("flick_disk_written_bytes_per_second", Map.of("device", d.name()), d.writeBps()));
            }
        }
        if (s.network() != null && s.network().interfaces() != null) {
            for (Snapshot.Network.Interface i : s.network().interfaces()) {
                out.add(new Series("flick_network_receive_bytes_per_second", Map.of("device", i.name()), i.rxBps()));
                out.add(new Series("flick_network_transmit_bytes_per_second", Map.of("device", i.name()), i.txBps()));
            }
        }
        if (s.processes() != null) out.add(new Series("flick_processes", Map.of(), s.processes().count()));
        return out;
    }

    /**
     * The snapshot's series as serialized WriteRequest.timeseries entries, each labelled {@code __name__},
     * {@code server}, {@code server_id}, {@code job="flick"} and the extra labels (which never replace those).
     */
    static Encoded encode(Snapshot s, String serverName, Map<String, String> extraLabels) {
        List<Series> series = of(s);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(series.size() * 96);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            for (Series one : series) {
                // Remote write wants the labels sorted by name; __name__ sorts before any lower-case name.
                TreeMap<String, String> labels = new TreeMap<>(extraLabels);
                labels.putAll(one.labels());
                labels.put("__name__", one.name());
                labels.put("server", serverName);
                labels.put("server_id", s.serverId());
                labels.put("job", "flick");
                int size = 0;
                for (Map.Entry<String, String> l : labels.entrySet()) size += lengthDelimited(TIMESERIES_LABELS, labelSize(l));
                int sample = sampleSize(one.value(), s.ts());
                size += lengthDelimited(TIMESERIES_SAMPLES, sample);
                out.writeTag(WRITE_REQUEST_TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(size);
                for (Map.Entry<String, String> l : labels.entrySet()) {
                    out.writeTag(TIMESERIES_LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(labelSize(l));
                    out.writeString(1, l.getKey());
                    out.writeString(2, l.getValue());
                }
                out.writeTag(TIMESERIES_SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(sample);
                out.writeDouble(1, one.value());
                out.writeInt64(2, s.ts());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Encoded(series.size(), bytes.toByteArray());
    }

    /** A snapshot's serialized series and how many samples they hold. */
    record Encoded(int samples, byte[] bytes) {}

    private static int labelSize(Map.Entry<String, String> l) {
        return CodedOutputStream.computeStringSize(1, l.getKey()) + CodedOutputStream.computeStringSize(2, l.getValue());
    }

    private static int sampleSize(double value, long ts) {
        return CodedOutputStream.computeDoubleSize(1, value) + CodedOutputStream.computeInt64Size(2, ts);
    }

    private static int lengthDelimited(int field, int size) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
