package dev.flick.hub.config;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The hub's own settings. The seed's environment names (DATABASE_URL, JWT_SECRET, …) are mapped onto these
 * in application.yml, the one place where env names meet properties.
 *
 * @param dataDir      where the SQLite file and generated secrets live
 * @param interval     collection interval of the local collector
 * @param databaseUrl  postgresql://…, postgres://…, jdbc:… or blank for embedded SQLite
 * @param jwtSecret    HS256 secret; generated into the data dir when blank
 * @param ringSeconds  how much recent history each server keeps in memory for live resumes
 * @param spoolMax      how much the spool (snapshots on disk on their way to the database) may hold before agents are
 *                      asked to keep theirs (docs/durability.md)
 * @param memoryBacklog how much of the hub's own samples may wait in memory while the spool cannot be written
 * @param minFree       free space under the data dir below which the spool stops taking data and health is DOWN
 * @param encryptionKey     base64 AES-256 key for SSH credentials at rest; generated into the data dir when blank
 * @param encryptionKeysOld comma-separated base64 keys that were ENCRYPTION_KEY before: read, never written with
 * @param encryptionNonce   the seed's ENCRYPTION_NONCE: ignored (a fixed GCM nonce is unsafe), only warned about
 * @param publicUrl         the hub's URL as agents reach it, for the install command; the request's own when blank
 * @param containerSocket   the container engine socket the local collector reads; blank: {@code DOCKER_HOST}, then
 *                          Docker's and Podman's usual sockets (docs/snapshot.md "containers")
 */
@Validated
@ConfigurationProperties("flick")
public record FlickSettings(
        @DefaultValue("./data") @NotNull Path dataDir,
        @DefaultValue("1s") @NotNull Duration interval,
        @DefaultValue("") String databaseUrl,
        @DefaultValue("") String jwtSecret,
        @DefaultValue("900") int ringSeconds,
        @DefaultValue("2GB") @NotNull DataSize spoolMax,
        @DefaultValue("64MB") @NotNull DataSize memoryBacklog,
        @DefaultValue("100MB") @NotNull DataSize minFree,
        @DefaultValue("true") boolean localCollector,
        @DefaultValue("") String encryptionKey,
        @DefaultValue("") String encryptionKeysOld,
        @DefaultValue("") String encryptionNonce,
        @DefaultValue("") String publicUrl,
        @DefaultValue("") String containerSocket) {

    public long intervalMillis() {
        return Math.max(100, interval.toMillis());
    }
}
