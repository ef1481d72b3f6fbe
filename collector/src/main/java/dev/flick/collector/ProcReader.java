package dev.flick.collector;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads small /proc files through one reused buffer: the per-second path allocates little more than the text itself. */
final class ProcReader {

    private byte[] buffer = new byte[16 * 1024];

    /** The whole file as UTF-8 text, or null when it is gone (a process that exited) or unreadable. */
    String read(String path) {
        int length = readBytes(path, Integer.MAX_VALUE);
        return length < 0 ? null : new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** At most {@code limit} bytes, or null. */
    String read(String path, int limit) {
        int length = readBytes(path, limit);
        return length < 0 ? null : new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    private int readBytes(String path, int limit) {
        try (FileInputStream in = new FileInputStream(path)) {
            int length = 0;
            while (length < limit) {
                if (length == buffer.length) buffer = Arrays.copyOf(buffer, buffer.length * 2);
                int n = in.read(buffer, length, Math.min(buffer.length, limit) - length);
                if (n < 0) break;
                length += n;
            }
            return length;
        } catch (IOException e) {
            return -1;
        }
    }
}
