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
            boolean fresh = !Files.exists(root);
            Files.createDirectories(root);
            if (fresh) restrictToOwner(root, "rwx------");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + root, e);
        }
        if (!Files.isWritable(root)) throw new DataDirUnwritable(root);
    }

    /** FLICK_DATA_DIR exists but this process may not write there. */
    public static final class DataDirUnwritable extends IllegalStateException {
        private final transient Path path;

        DataDirUnwritable(Path path) {
            super("The data directory " + path + " is not writable");
            this.path = path;
        }

        public Path path() {
            return path;
        }
    }

    /**
     * Creates an empty file readable by the owner only when it does not exist yet (SQLite then gives its -wal and
     * -shm files the same mode).
     */
    public static void createPrivate(Path file) {
        try {
            if (Files.exists(file)) return;
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another start made it
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file, e);
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
            restrictToOwner(file, "rw-------");
            log.info("Generated {} in the data directory (mode 0600)", name);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create " + file, e);
        }
    }

    private static void restrictToOwner(Path file, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
    }
}
