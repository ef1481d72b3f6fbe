package dev.flick.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.flick.hub.FlickApplication;

import org.junit.jupiter.api.Test;

/**
 * The hub started as a real process with each configuration it cannot use: it prints one block naming what is
 * wrong, the variable and the fix, exits non-zero, and prints no stack trace.
 */
class UnusableConfigurationTest {

    record Started(int exit, String output) {}

    @Test
    void theSeedsExampleJwtSecretIsExplainedWithTheCommandThatFixesIt() throws Exception {
        Started s = start(Map.of("JWT_SECRET", "your-secret-key"));
        assertExplained(s, "JWT_SECRET", "openssl rand -base64 32");
    }

    @Test
    void theSeedsExampleEncryptionKeyIsExplainedWithTheCommandThatFixesIt() throws Exception {
        Started s = start(Map.of("ENCRYPTION_KEY", "your-encryption-key"));
        assertExplained(s, "ENCRYPTION_KEY is not valid base64", "Set ENCRYPTION_KEY to a base64-encoded 32-byte key");
        // The seed's whole example environment: still one block, about the first problem met.
        assertExplained(start(Map.of("JWT_SECRET", "your-secret-key", "ENCRYPTION_KEY", "your-encryption-key")),
                "ENCRYPTION_KEY", "openssl rand -base64 32");
        Started shortKey = start(Map.of("ENCRYPTION_KEY", "c2hvcnQ="));
        assertExplained(shortKey, "ENCRYPTION_KEY must decode to 32 bytes", "openssl rand -base64 32");
    }

    @Test
    void aDatabaseUrlOfAnotherKindIsExplained() throws Exception {
        assertExplained(start(Map.of("DATABASE_URL", "mysql://root@127.0.0.1/flick")), "DATABASE_URL", "postgresql://");
    }

    @Test
    void aPortInUseIsExplained() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Started s = start(Map.of("PORT", Integer.toString(taken.getLocalPort()), "HOST", "127.0.0.1"));
            assertExplained(s, "Port " + taken.getLocalPort() + " is already in use", "PORT=");
        }
    }

    @Test
    void aDataDirThatCannotBeWrittenIsExplained() throws Exception {
        Path file = Files.createTempFile("flick-not-a-dir", ".txt");
        Started s = start(Map.of("FLICK_DATA_DIR", file.resolve("data").toString()));
        assertExplained(s, "FLICK_DATA_DIR", "Point FLICK_DATA_DIR at a directory");
    }

    private static void assertExplained(Started s, String what, String fix) {
        assertThat(s.exit()).as(s.output()).isNotZero();
        // A readable block: its headings on lines of their own, not one log line with escaped breaks.
        assertThat(s.output().lines().map(String::strip).toList()).as(s.output()).contains("Description:", "Action:");
        assertThat(s.output()).as("no bean-creation chain in the block").doesNotContain("Error creating bean");
        assertThat(s.output()).contains("APPLICATION FAILED TO START").contains("Description:").contains(what)
                .contains("Action:").contains(fix);
        assertThat(s.output().lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")).toList())
                .as("no stack trace").isEmpty();
        assertThat(s.output().split("APPLICATION FAILED TO START", -1)).as("one block").hasSize(2);
    }

    private static Started start(Map<String, String> env) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("flick-unusable");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Dflick.local-collector=false",
                FlickApplication.class.getName()));
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("FLICK_") || List.of("JWT_SECRET", "ENCRYPTION_KEY", "DATABASE_URL", "PORT", "HOST").contains(k));
        e.put("FLICK_DATA_DIR", data.toString());
        e.put("PORT", "0");
        e.putAll(new HashMap<>(env));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the hub did not stop: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Started(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
