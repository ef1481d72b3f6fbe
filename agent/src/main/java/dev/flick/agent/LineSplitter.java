package dev.flick.agent;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Bytes in, lines out (UTF-8, without the newline or a trailing CR), through one reused buffer. A line longer than
 * {@link #MAX_LINE} is skipped to its end and reported as {@code null}, so one runaway writer cannot make the agent
 * allocate without bound.
 */
final class LineSplitter {

    static final int MAX_LINE = 64 * 1024;

    private final byte[] line = new byte[MAX_LINE];
    private final Consumer<String> sink;
    private int length;
    private boolean overlong;

    /** {@code sink} gets each line, or null for one that was too long. */
    LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    void feed(byte[] bytes, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (overlong) sink.accept(null);
                else sink.accept(new String(line, 0, length > 0 && line[length - 1] == '\r' ? length - 1 : length, StandardCharsets.UTF_8));
                length = 0;
                overlong = false;
            } else if (length < MAX_LINE) {
                line[length++] = b;
            } else {
                overlong = true;
            }
        }
    }

    /** Forgets a partial line (the file it came from was truncated or replaced). */
    void reset() {
        length = 0;
        overlong = false;
    }
}
