package dev.flick.hub.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The data directory: the SQLite file and secrets generated on first start, readable by the owner only. */
@Component
public class DataDir {

    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    private final Path root;

    public DataDir(FlickSettings settings) {
        this.root = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** Returns the secret stored in {@code name}, generating {@code bytes} random bytes (base64) once when absent. */
    public synchronized String secret(String name, int bytes) {
        Path file = root.resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] raw = new byte[bytes];
            new SecureRandom().nextBytes(raw);
            String value = Base64.getEncoder().encodeToString(raw);
            Files.writeString(file, value, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            restrictToOwner(file);
            log.info("Generated {} in the data directory (mode 0600)", name);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
    }
}
