package dev.flick.hub.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The recorded live messages in {@code src/test/resources/live-fixtures}: the hub's serialiser must produce each one
 * exactly, and the web client's parser reads the same files (web/src/lib/live/messages.test.ts). Run a fixture test
 * with {@code -Dflick.record-fixtures=true} to record a changed message on purpose, then review the diff.
 */
public final class LiveFixtures {

    private static final Path DIR = Path.of("src/test/resources/live-fixtures");

    private LiveFixtures() {}

    /** Asserts that the message is written exactly as the fixture {@code name}.json holds it. */
    public static void assertWrites(String name, LiveMessage message) {
        String written = LiveJson.write(message);
        if (Boolean.getBoolean("flick.record-fixtures")) {
            try {
                Files.writeString(DIR.resolve(name + ".json"), written + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        assertThat(written).as("live-fixtures/%s.json", name).isEqualTo(read(name));
    }

    public static String read(String name) {
        try (InputStream in = LiveFixtures.class.getResourceAsStream("/live-fixtures/" + name + ".json")) {
            assertThat(in).as("fixture live-fixtures/%s.json", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
