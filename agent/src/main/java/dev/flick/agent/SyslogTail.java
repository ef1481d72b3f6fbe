package dev.flick.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Follows a syslog file like {@code tail -F}, by polling its size: new bytes are read from where the last read ended;
 * a different file under the name (rotated: renamed, a new one created) is read to its end and then the new one from
 * its start; a file that got shorter (truncated in place) is read again from the start. Polling costs one stat a
 * tick and needs no thread of its own beyond the follower's.
 */
final class SyslogTail implements AutoCloseable {

    private final Path path;
    private final LineSplitter lines;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    private FileChannel channel;
    private Object fileKey;
    private long position;

    /** Opens {@code path}; from its end (only lines written from now on) unless {@code fromStart}. */
    SyslogTail(Path path, boolean fromStart, LineSplitter lines) throws IOException {
        this.path = path;
        this.lines = lines;
        open(fromStart);
    }

    private void open(boolean fromStart) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        position = fromStart ? 0 : channel.size();
        lines.reset();
    }

    /**
     * Reads what was added since the last call. Throws {@link NoSuchFileException} once the file is gone (after
     * reading what the old one still held), so the follower can restart and wait for it with backoff.
     */
    void poll() throws IOException {
        drain();
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path + " disappeared");
        }
        if (now.fileKey() != null && !Objects.equals(now.fileKey(), fileKey)) {
            drain(); // the last lines written to the old file before the switch
            channel.close();
            open(true);
            drain();
        } else if (now.size() < position) {
            position = 0;
            lines.reset();
            drain();
        }
    }

    private void drain() throws IOException {
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) return;
            position += n;
            lines.feed(buffer.array(), 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
