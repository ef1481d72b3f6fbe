package dev.flick.hub.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a temp dir, to give the hub a data dir that can be filled to the brim and freed again.
 * Needs root with CAP_SYS_ADMIN ({@link FaultRequirements#tmpfs()} checks first).
 */
public final class Tmpfs implements AutoCloseable {

    /** What {@link #fill()} leaves free: less than one SQLite page plus a spool record. */
    public static final long LEFT_FREE = 4 * 1024;

    private final Path mountPoint;
    private final Path filler;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler.bin");
    }

    public static Tmpfs mount(long mebibytes) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("flick-tmpfs");
        String failure = tryMount(dir, mebibytes);
        if (failure != null) throw new IOException("mount -t tmpfs on " + dir + " failed: " + failure);
        return new Tmpfs(dir);
    }

    public Path path() {
        return mountPoint;
    }

    /** Bytes a writer can still use (what df shows as available). */
    public long usableBytes() throws IOException {
        FileStore store = Files.getFileStore(mountPoint);
        return store.getUsableSpace();
    }

    /**
     * Writes a filler file until the file system is full, then gives back {@link #LEFT_FREE} bytes: a write or two of
     * a few KiB may still land, anything more fails with ENOSPC. Returns the bytes left free.
     */
    public long fill() throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1024 * 1024);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            int size = chunk.capacity();
            while (size >= 4096) {
                chunk.clear().limit(size);
                try {
                    while (chunk.hasRemaining()) out.write(chunk);
                    out.force(false);
                } catch (IOException e) {
                    if (!full(e)) throw e;
                    size /= 2; // the rest fits in smaller pieces
                }
            }
            out.truncate(Math.max(0, out.size() - LEFT_FREE));
            out.force(false);
        }
        return usableBytes();
    }

    /** Deletes the filler: the space is back at once. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        free();
        unmount(mountPoint);
        Files.deleteIfExists(mountPoint);
    }

    private static boolean full(IOException e) {
        return String.valueOf(e.getMessage()).contains("No space left on device");
    }

    /** Null when mounted, else why not. */
    static String tryMount(Path dir, long mebibytes) throws IOException, InterruptedException {
        return run(List.of("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "flick-test", dir.toString()));
    }

    static void unmount(Path dir) throws IOException, InterruptedException {
        String failure = run(List.of("umount", dir.toString()));
        // A process that still holds a file open (a hub that was killed a moment ago) keeps it busy: detach instead.
        if (failure != null) failure = run(List.of("umount", "-l", dir.toString()));
        if (failure != null) throw new IOException("umount " + dir + ": " + failure);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }
}
