package dev.flick.hub.metrics;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import dev.flick.collector.Snapshot;

/**
 * One snapshot as the spool keeps it: exactly the columns of its raw row, so the writer binds it without parsing JSON.
 * The series count is written with the values, so a spool written before a series was added still reads.
 */
record SpoolRecord(String serverId, long ts, double[] values, int processCount, byte[] detail) {

    private static final byte VERSION = 1;

    static SpoolRecord of(Snapshot s, byte[] detail) {
        double[] values = new double[Series.ALL.length];
        for (int i = 0; i < values.length; i++) values[i] = Series.ALL[i].of(s);
        return new SpoolRecord(s.serverId(), s.ts(), values, s.processes().count(), detail);
    }

    int encodedSize() {
        return 1 + 2 + serverId.length() * 3 + 8 + 1 + values.length * 8 + 4 + 4 + detail.length;
    }

    void encode(ByteBuffer out) {
        byte[] id = serverId.getBytes(StandardCharsets.UTF_8);
        out.put(VERSION).putShort((short) id.length).put(id).putLong(ts).put((byte) values.length);
        for (double v : values) out.putDouble(v);
        out.putInt(processCount).putInt(detail.length).put(detail);
    }

    /** Reads one payload; a payload that does not parse is reported as {@link IllegalArgumentException}. */
    static SpoolRecord decode(ByteBuffer in) {
        try {
            if (in.get() != VERSION) throw new IllegalArgumentException("unknown spool record version");
            byte[] id = new byte[in.getShort() & 0xffff];
            in.get(id);
            long ts = in.getLong();
            int n = in.get() & 0xff;
            double[] values = new double[Series.ALL.length];
            for (int i = 0; i < n; i++) {
                double v = in.getDouble();
                if (i < values.length) values[i] = v;
            }
            int processCount = in.getInt();
            int len = in.getInt();
            if (len < 0 || len > in.remaining()) throw new IllegalArgumentException("detail length out of range");
            byte[] detail = new byte[len];
            in.get(detail);
            return new SpoolRecord(new String(id, StandardCharsets.UTF_8), ts, values, processCount, detail);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("spool record cut short");
        }
    }
}
