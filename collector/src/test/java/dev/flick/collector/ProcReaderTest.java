package dev.flick.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class ProcReaderTest {

    @Test
    void keptFileIsReadAfreshEachSample() throws IOException {
        ProcReader reader = new ProcReader();
        String first = reader.readKept("/proc/self/stat");
        String selfStatFd = openFdTo("/proc/self/stat");
        assertThat(first).contains("(java)");
        assertThat(selfStatFd).as("the file stays open between samples").isNotNull();
        reader.endSample();
        // utime/stime and the process state move on: a kept channel shows today's text, not the first read's.
        Thread.onSpinWait();
        String second = reader.readKept("/proc/self/stat");
        assertThat(second).startsWith(first.substring(0, first.indexOf(')') + 1));
        assertThat(openFdTo("/proc/self/stat")).isEqualTo(selfStatFd);
    }

    @Test
    void keptRegularFileShowsItsNewContent(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("counter");
        Files.writeString(file, "one");
        ProcReader reader = new ProcReader();
        assertThat(reader.readKept(file.toString())).isEqualTo("one");
        Files.writeString(file, "two, and longer");
        assertThat(reader.readKept(file.toString())).isEqualTo("two, and longer");
    }

    @Test
    void processThatExitedReadsAsGoneAndItsFileIsClosed() throws Exception {
        Process child = new ProcessBuilder("sleep", "300").start();
        try {
            String path = "/proc/" + child.pid() + "/stat";
            ProcReader reader = new ProcReader();
            assertThat(reader.readKept(path)).contains("(sleep)");
            reader.endSample();
            child.destroy();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(reader.readKept(path)).as("an exited process, even through the kept file").isNull();
            assertThat(openFdTo(path)).isNull();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void filesNotReadInASampleAreClosed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("once");
        Files.writeString(file, "x");
        ProcReader reader = new ProcReader();
        reader.readKept(file.toString());
        assertThat(openFdTo(file.toString())).isNotNull();
        reader.endSample(); // read in this sample: kept
        assertThat(openFdTo(file.toString())).isNotNull();
        reader.endSample(); // not read in the last one: closed
        assertThat(openFdTo(file.toString())).isNull();
    }

    /** The name of this process's open descriptor for {@code target}, or null. */
    private static String openFdTo(String target) throws IOException {
        Path want = Path.of(target.replace("/proc/self/", "/proc/" + ProcessHandle.current().pid() + "/"));
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(want)) return fd.getFileName().toString();
                } catch (IOException e) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return null;
    }
}
