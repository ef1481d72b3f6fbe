package dev.flick.hub.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.flick.collector.Snapshot;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;

import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The remote-write body decoded back with protobuf-java's own parser, against a descriptor built from
 * prometheus/prompb (types.proto, remote.proto): what a receiver would read.
 */
class RemoteWriteRequestTest {

    static final Descriptors.Descriptor WRITE_REQUEST = prompb();

    static Snapshot snapshot(String id, long ts, double usage) {
        return new Snapshot(id, ts,
                new Snapshot.Cpu(usage, 8.5, 3.25, 0.5, 0.0, new double[] {10, 20}, 0.42, 0.35, 0.3),
                new Snapshot.Memory(8_000_000_000L, 3_000_000_000L, 5_000_000_000L, 1_000_000_000L, 2_000_000_000L, 500_000_000L),
                List.of(new Snapshot.Disk("/", "/dev/vda1", "ext4", 100_000_000_000L, 40_000_000_000L)),
                new Snapshot.DiskIo(1000, 2000, List.of(new Snapshot.DiskIo.Device("vda", 1000, 2000))),
                new Snapshot.Network(300, 400, List.of(new Snapshot.Network.Interface("eth0", 300, 400),
                        new Snapshot.Network.Interface("lo", 5, 5))),
                new Snapshot.Processes(123, List.of()));
    }

    @Test
    void decodesBackToSortedLabelsSamplesAndTimestamps() throws Exception {
        long ts = 1_764_150_000_123L;
        RemoteWriteSeries.Encoded e = RemoteWriteSeries.encode(snapshot("id-1", ts, 12.5), "web \"1\"", Map.of("env", "prod"));
        RemoteWriteSeries.Encoded e2 = RemoteWriteSeries.encode(snapshot("id-1", ts + 1000, 13.5), "web \"1\"", Map.of("env", "prod"));
        byte[] concatenated = new byte[e.bytes().length + e2.bytes().length];
        System.arraycopy(e.bytes(), 0, concatenated, 0, e.bytes().length);
        System.arraycopy(e2.bytes(), 0, concatenated, e.bytes().length, e2.bytes().length);
        byte[] body = Snappy.compress(concatenated);

        List<Decoded> series = decode(Snappy.uncompress(body));
        assertThat(series).hasSize(e.samples() + e2.samples());
        for (Decoded d : series) {
            assertThat(new ArrayList<>(d.labels.keySet())).isSorted();
            assertThat(d.labels).containsEntry("server", "web \"1\"").containsEntry("server_id", "id-1")
                    .containsEntry("job", "flick").containsEntry("env", "prod");
        }
        Decoded cpu = find(series, "flick_cpu_usage_percent", Map.of(), ts);
        assertThat(cpu.value).isEqualTo(12.5);
        assertThat(find(series, "flick_cpu_usage_percent", Map.of(), ts + 1000).value).isEqualTo(13.5);
        assertThat(find(series, "flick_cpu_mode_percent", Map.of("mode", "system"), ts).value).isEqualTo(3.25);
        assertThat(find(series, "flick_cpu_core_usage_percent", Map.of("cpu", "1"), ts).value).isEqualTo(20);
        assertThat(find(series, "node_memory_MemTotal_bytes", Map.of(), ts).value).isEqualTo(8e9);
        assertThat(find(series, "node_memory_SwapFree_bytes", Map.of(), ts).value).isEqualTo(1.5e9);
        assertThat(find(series, "node_filesystem_free_bytes", Map.of("mountpoint", "/", "fstype", "ext4"), ts).value).isEqualTo(6e10);
        assertThat(find(series, "flick_network_receive_bytes_per_second", Map.of("device", "lo"), ts).value).isEqualTo(5);
        assertThat(find(series, "node_load1", Map.of(), ts).value).isEqualTo(0.42);
        assertThat(find(series, "flick_processes", Map.of(), ts).value).isEqualTo(123);
        // A zero is still a sample (proto3 would elide the field; the receiver reads 0 either way).
        assertThat(find(series, "flick_cpu_mode_percent", Map.of("mode", "steal"), ts).value).isZero();
    }

    @Test
    void extraLabelsNeverReplaceTheServersOwn() throws Exception {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("server", "spoofed");
        extra.put("Region", "eu");
        List<Decoded> series = decode(RemoteWriteSeries.encode(snapshot("id-2", 1000, 1), "real", extra).bytes());
        assertThat(series).allSatisfy(d -> {
            assertThat(d.labels).containsEntry("server", "real").containsEntry("Region", "eu");
            // Upper case sorts before "__name__": the order is byte order, as the receiver checks it.
            assertThat(d.labels.keySet().iterator().next()).isEqualTo("Region");
        });
    }

    record Decoded(Map<String, String> labels, double value, long ts) {}

    static Decoded find(List<Decoded> all, String name, Map<String, String> labels, long ts) {
        return all.stream().filter(d -> name.equals(d.labels.get("__name__")) && d.ts == ts
                        && d.labels.entrySet().containsAll(labels.entrySet()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + labels + " at " + ts));
    }

    static List<Decoded> decode(byte[] writeRequest) throws Exception {
        DynamicMessage req = DynamicMessage.parseFrom(WRITE_REQUEST, writeRequest);
        Descriptors.FieldDescriptor tsField = WRITE_REQUEST.findFieldByName("timeseries");
        Descriptors.Descriptor timeSeries = tsField.getMessageType();
        List<Decoded> out = new ArrayList<>();
        for (int i = 0; i < req.getRepeatedFieldCount(tsField); i++) {
            DynamicMessage t = (DynamicMessage) req.getRepeatedField(tsField, i);
            Map<String, String> labels = new LinkedHashMap<>();
            Descriptors.FieldDescriptor lf = timeSeries.findFieldByName("labels");
            for (int j = 0; j < t.getRepeatedFieldCount(lf); j++) {
                DynamicMessage l = (DynamicMessage) t.getRepeatedField(lf, j);
                labels.put((String) l.getField(lf.getMessageType().findFieldByName("name")),
                        (String) l.getField(lf.getMessageType().findFieldByName("value")));
            }
            Descriptors.FieldDescriptor sf = timeSeries.findFieldByName("samples");
            assertThat(t.getRepeatedFieldCount(sf)).isEqualTo(1);
            DynamicMessage s = (DynamicMessage) t.getRepeatedField(sf, 0);
            out.add(new Decoded(labels, (Double) s.getField(sf.getMessageType().findFieldByName("value")),
                    (Long) s.getField(sf.getMessageType().findFieldByName("timestamp"))));
        }
        return out;
    }

    /** prompb's WriteRequest, TimeSeries, Label and Sample with their field numbers. */
    private static Descriptors.Descriptor prompb() {
        FieldDescriptorProto.Label repeated = FieldDescriptorProto.Label.LABEL_REPEATED;
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("prompb.proto").setPackage("prometheus").setSyntax("proto3")
                .addMessageType(DescriptorProto.newBuilder().setName("Label")
                        .addField(field("name", 1, FieldDescriptorProto.Type.TYPE_STRING, null, null))
                        .addField(field("value", 2, FieldDescriptorProto.Type.TYPE_STRING, null, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("Sample")
                        .addField(field("value", 1, FieldDescriptorProto.Type.TYPE_DOUBLE, null, null))
                        .addField(field("timestamp", 2, FieldDescriptorProto.Type.TYPE_INT64, null, null)))
                .addMessageType(DescriptorProto.newBuilder().setName("TimeSeries")
                        .addField(field("labels", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Label", repeated))
                        .addField(field("samples", 2, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.Sample", repeated)))
                .addMessageType(DescriptorProto.newBuilder().setName("WriteRequest")
                        .addField(field("timeseries", 1, FieldDescriptorProto.Type.TYPE_MESSAGE, ".prometheus.TimeSeries", repeated)))
                .build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]).findMessageTypeByName("WriteRequest");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Type type, String typeName,
                                              FieldDescriptorProto.Label label) {
        FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
                .setLabel(label == null ? FieldDescriptorProto.Label.LABEL_OPTIONAL : label);
        if (typeName != null) b.setTypeName(typeName);
        return b.build();
    }
}
