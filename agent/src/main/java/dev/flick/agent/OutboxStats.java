package dev.flick.agent;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * {@code java -cp flick-agent.jar dev.flick.agent.OutboxStats <outbox dir>}: what an outbox holds, read-only (it takes
 * no lock, so it works beside a running agent): records, bytes on disk, their JSON size, the time they span, and the
 * bytes per buffered hour at that rate. docs/PERFORMANCE.md quotes it.
 */
public final class OutboxStats {

    private OutboxStats() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp flick-agent.jar dev.flick.agent.OutboxStats <outbox dir>");
            System.exit(2);
        }
        File[] files = new File(args[0]).listFiles();
        if (files == null) throw new IOException("cannot list " + args[0]);
        Arrays.sort(files);
        long records = 0, bytes = 0, json = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
        int segments = 0;
        byte[] in = new byte[64 * 1024];
        byte[] out = new byte[256 * 1024];
        Inflater inflater = new Inflater(true);
        for (File f : files) {
            if (!f.getName().endsWith(DiskOutbox.SUFFIX)) continue;
            segments++;
            inflater.reset();
            try (DataInputStream data = new DataInputStream(new BufferedInputStream(new FileInputStream(f)))) {
                while (true) {
                    int length = data.readInt();
                    data.readInt();
                    if (length < 8 || length > in.length) break;
                    data.readFully(in, 0, length);
                    long ts = 0;
                    for (int i = 0; i < 8; i++) ts = (ts << 8) | (in[i] & 0xFF);
                    inflater.setInput(in, 8, length - 8);
                    int n;
                    while ((n = inflater.inflate(out)) > 0) json += n;
                    records++;
                    bytes += 8 + length;
                    first = Math.min(first, ts);
                    last = Math.max(last, ts);
                }
            } catch (EOFException | DataFormatException e) {
                // the end, or a record being written
            }
        }
        inflater.end();
        System.out.println("segments " + segments);
        System.out.println("records " + records);
        System.out.println("bytes " + bytes);
        System.out.println("json_bytes " + json);
        if (records > 1) {
            double perRecord = (double) bytes / records;
            double interval = (double) (last - first) / (records - 1);
            System.out.println("span_ms " + (last - first));
            System.out.println("bytes_per_record " + Math.round(perRecord));
            System.out.println("json_bytes_per_record " + Math.round((double) json / records));
            System.out.println("bytes_per_hour " + Math.round(perRecord * 3_600_000 / interval));
        }
    }
}
