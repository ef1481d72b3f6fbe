package dev.flick.hub.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Snapshot details are stored as deflated JSON with a preset dictionary: a representative snapshot whose field names
 * and common process names most details share. A single ~3.6 KB detail then takes ~0.4 KB instead of ~1.2 KB.
 * The zlib stream records the dictionary's checksum, so rows written without it (or with a future one) still read.
 * The dictionary file must never change once released; a new one gets a new file and a lookup by checksum.
 */
final class Deflate {

    private static final byte[] DICTIONARY = load("/metrics/snapshot-dictionary.json");
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(4));

    private Deflate() {}

    static byte[] compress(String json) {
        byte[] in = json.getBytes(StandardCharsets.UTF_8);
        Deflater d = DEFLATERS.get();
        d.reset();
        d.setDictionary(DICTIONARY);
        d.setInput(in);
        d.finish();
        byte[] buf = new byte[Math.max(64, in.length / 4)];
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
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 8);
            byte[] buf = new byte[4096];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && inf.needsDictionary()) {
                    inf.setDictionary(DICTIONARY); // throws if the stream asks for another dictionary
                    continue;
                }
                if (n == 0 && inf.needsInput()) {
                    break;
                }
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalStateException("Stored snapshot detail is corrupt", e);
        } finally {
            inf.end();
        }
    }

    private static byte[] load(String resource) {
        try (InputStream in = Deflate.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("Missing " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
