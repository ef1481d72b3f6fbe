package dev.flick.hub.metrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Snapshot details are stored as deflated JSON: about a quarter of the bytes on both databases. */
final class Deflate {

    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(4));

    private Deflate() {}

    static byte[] compress(String json) {
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        Deflater d = DEFLATERS.get();
        d.reset();
        d.setInput(in);
        d.finish();
        byte[] buf = new byte[Math.max(64, in.length / 2)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length);
        while (!d.finished()) {
            int n = d.deflate(buf);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    static String inflate(byte[] data) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4);
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException("Stored snapshot detail is corrupt", e);
        } finally {
            inf.end();
        }
    }
}
