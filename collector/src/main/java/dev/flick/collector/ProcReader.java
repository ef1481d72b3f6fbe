package dev.flick.collector;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads small /proc files through one reused buffer: the per-second path allocates little more than the text itself.
 * Files read every sample ({@link #readKept}) stay open and are read again from offset 0 (procfs regenerates them on
 * each read), which saves an open and a close per process per second — most of a sample's cost on a busy host.
 */
final class ProcReader {

    /** Kept open at most this many files; past it, reads open and close as before. */
    private static final int MAX_KEPT = 4_096;

    private byte[] buffer = new byte[16 * 1024];
    private ByteBuffer view = ByteBuffer.wrap(buffer);
    private final Map<String, Kept> kept = new HashMap<>();
    private int generation;

    /** An open file and the last sample it was read in. */
    private static final class Kept {
        final FileChannel channel;
        int seen;

        Kept(FileChannel channel) {
            this.channel = channel;
        }
    }

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

    /**
     * Like {@link #read(String)}, keeping the file open for the next sample. A kept /proc/PID file whose process
     * exited fails to read (ESRCH) rather than showing a new process with the same pid, so a failed read reopens
     * the path once. Call {@link #endSample()} after each sample to close what was not read in it.
     */
    String readKept(String path) {
        Kept k = kept.get(path);
        if (k != null) {
            int length = readChannel(k.channel);
            if (length >= 0) {
                k.seen = generation;
                return new String(buffer, 0, length, StandardCharsets.UTF_8);
            }
            kept.remove(path);
            closeQuietly(k.channel);
        }
        if (kept.size() >= MAX_KEPT) return read(path);
        FileChannel channel;
        try {
            channel = FileChannel.open(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int length = readChannel(channel);
        if (length < 0) {
            closeQuietly(channel);
            return null;
        }
        Kept fresh = new Kept(channel);
        fresh.seen = generation;
        kept.put(path, fresh);
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** Closes the kept files not read since the previous call (processes that exited). */
    void endSample() {
        for (Iterator<Kept> it = kept.values().iterator(); it.hasNext(); ) {
            Kept k = it.next();
            if (k.seen != generation) {
                closeQuietly(k.channel);
                it.remove();
            }
        }
        generation++;
    }

    private int readChannel(FileChannel channel) {
        try {
            int length = 0;
            while (true) {
                if (length == buffer.length) grow();
                view.limit(buffer.length).position(length);
                int n = channel.read(view, length);
                if (n < 0) break;
                length += n;
                if (n == 0) break;
            }
            return length;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void grow() {
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
        view = ByteBuffer.wrap(buffer);
    }

    private int readBytes(String path, int limit) {
        try (FileInputStream in = new FileInputStream(path)) {
            int length = 0;
            while (length < limit) {
                if (length == buffer.length) grow();
                int n = in.read(buffer, length, Math.min(buffer.length, limit) - length);
                if (n < 0) break;
                length += n;
            }
            return length;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing to keep from a failed close of a read-only procfs file.
        }
    }
}
