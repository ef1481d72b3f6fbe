package dev.flick.hub.servers;

import dev.flick.hub.config.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.flick.collector.HostInfo;
import dev.flick.collector.SnapshotJson;

import org.springframework.stereotype.Component;

/** What other modules may ask of the servers module. */
@Component
public class Servers {

    private final ServerRepository repository;
    private final CredentialVault vault;
    private final ServerAccess access;
    private final ClockOffsets clocks;

    Servers(ServerRepository repository, CredentialVault vault, ServerAccess access, ClockOffsets clocks) {
        this.repository = repository;
        this.clocks = clocks;
        this.vault = vault;
        this.access = access;
    }

    /** The hub's own host as a server of mode local: created on first start, its info refreshed on every start. */
    public synchronized String ensureLocal(HostInfo info) {
        String infoJson = stamped(SnapshotJson.write(info));
        Optional<Server> existing = repository.findLocal();
        if (existing.isPresent()) {
            repository.updateInfo(existing.get().id(), infoJson);
            return existing.get().id();
        }
        String id = repository.insert(info.hostname(), "local", infoJson).id();
        access.reload();
        return id;
    }

    /** A server as other modules need it: its id, name and when it was last heard from (null: never). */
    public record Known(String id, String name, Long lastSeen) {}

    public java.util.List<Known> all() {
        return repository.all().stream().map(s -> new Known(s.id(), s.name(), s.lastSeen())).toList();
    }

    public Optional<String> name(String id) {
        return repository.find(id).map(Server::name);
    }

    public boolean exists(String id) {
        return repository.find(id).isPresent();
    }

    /** The agent server a token belongs to; tokens are compared by their SHA-256, never stored in the clear. */
    public Optional<String> agentServerFor(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) return Optional.empty();
        return repository.idByTokenHash(tokenHash(token));
    }

    /** What a collector learnt about a machine (hostname, OS, cores…), shown as the server's {@code info}. */
    public void updateInfo(String serverId, HostInfo info) {
        repository.updateInfo(serverId, stamped(SnapshotJson.write(info)));
    }

    /** Adds when the info was learnt ({@code measuredAt}, epoch ms), so a client can advance {@code uptime} from then. */
    private static String stamped(String infoJson) {
        return infoJson.substring(0, infoJson.length() - 1) + ",\"measuredAt\":" + System.currentTimeMillis() + "}";
    }

    /** The clock offset last applied to an agent's snapshots (agent minus hub, ms), if one was measured. */
    public java.util.OptionalLong clockOffset(String serverId) {
        return clocks.of(serverId);
    }

    /** Remembers an agent's clock offset; stored in the background, never on the caller's thread. */
    public void recordClockOffset(String serverId, long offsetMillis) {
        clocks.record(serverId, offsetMillis);
    }

    /** Where a prometheus server's node_exporter answers; allowLoopback: an admin let it point at a restricted address. */
    public record ScrapeTarget(String serverId, String url, boolean allowLoopback) {}

    public List<String> prometheusServerIds() {
        return repository.byMode("prometheus").stream().map(Server::id).toList();
    }

    public Optional<ScrapeTarget> scrapeTarget(String serverId) {
        return repository.find(serverId).filter(s -> "prometheus".equals(s.mode()) && s.scrapeUrl() != null)
                .map(s -> new ScrapeTarget(s.id(), s.scrapeUrl(), s.allowLoopback()));
    }

    public List<String> sshServerIds() {
        return repository.byMode("ssh").stream().map(Server::id).toList();
    }

    /**
     * The SSH server's address and decrypted credentials, or empty when it no longer exists.
     *
     * @throws IllegalStateException when its credentials cannot be decrypted (the message names no secret)
     */
    public Optional<SshTarget> sshTarget(String serverId) {
        Optional<Server> found = repository.find(serverId).filter(s -> "ssh".equals(s.mode()));
        if (found.isEmpty()) return Optional.empty();
        Server s = found.get();
        byte[] sealed = repository.credentials(serverId);
        SshCredentials credentials;
        try {
            credentials = sealed == null ? new SshCredentials(null, null, null) : vault.open(serverId, sealed);
        } catch (SecretCipher.Undecryptable e) {
            throw new IllegalStateException(e.getMessage());
        }
        return Optional.of(new SshTarget(s.id(), s.host(), s.port() == null ? 22 : s.port(), s.username(), credentials,
                s.hostKeyFingerprint(), s.allowLoopback(), s.infoJson() != null || s.lastSeen() != null));
    }

    /**
     * The first host key a server presented while none is trusted: kept for an admin to confirm (nothing is trusted
     * on first use). False when a key became trusted meanwhile: the next attempt compares with it.
     */
    public boolean offerFirstHostKey(String serverId, String fingerprint, String type) {
        return repository.offerFirstHostKey(serverId, fingerprint, type);
    }

    /** A different host key than the trusted one was presented: kept for an admin to accept. */
    public void offerHostKey(String serverId, String fingerprint, String type) {
        repository.offerHostKey(serverId, fingerprint, type);
    }

    /** The trusted key matched: remembers its type if only its fingerprint was given. */
    public void noteHostKeyType(String serverId, String fingerprint, String type) {
        repository.noteHostKeyType(serverId, fingerprint, type);
    }

    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
