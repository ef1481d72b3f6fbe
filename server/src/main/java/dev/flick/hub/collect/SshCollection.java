package dev.flick.hub.collect;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.flick.hub.cluster.Cluster;
import dev.flick.hub.config.FlickSettings;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.ServerEvents;
import dev.flick.hub.servers.Servers;
import dev.flick.hub.servers.SshAddresses;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Agentless collection: one {@link SshWatch} per SSH server, all sharing one MINA SSHD client. Nothing is trusted on
 * first use: a server with no trusted host key (none given when it was added) presents its key, which is kept for an
 * admin to confirm, and is not logged in to until then; a key other than the trusted one is refused and kept likewise.
 * The client ignores ~/.ssh of the hub's user: only the server's own stored credentials are offered.
 */
@Component
class SshCollection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SshCollection.class);

    private final Servers servers;
    private final Presence presence;
    private final Ingest ingest;
    private final Duration interval;
    private final SshSettings settings;
    private final EventLog eventLog;
    private final SshAddresses addresses;
    private final Cluster cluster;
    private final Map<String, SshWatch> watches = new ConcurrentHashMap<>();
    private volatile SshClient client;
    private volatile boolean running;

    SshCollection(Servers servers, Presence presence, Ingest ingest, FlickSettings settings, SshSettings sshSettings, EventLog eventLog,
                  SshAddresses addresses, Cluster cluster) {
        this.cluster = cluster;
        this.servers = servers;
        this.addresses = addresses;
        this.presence = presence;
        this.ingest = ingest;
        this.interval = Duration.ofMillis(settings.intervalMillis());
        this.settings = sshSettings;
        this.eventLog = eventLog;
    }

    /** The watch of one server, if it is an SSH server being watched. */
    SshWatch watch(String serverId) {
        return watches.get(serverId);
    }

    @EventListener(ApplicationReadyEvent.class)
    void begin() {
        for (String id : servers.sshServerIds()) restart(id);
        if (!watches.isEmpty()) log.info("Watching {} SSH server(s)", watches.size());
    }

    @EventListener
    void onServerEvent(ServerEvents event) {
        switch (event) {
            case ServerEvents.SshTargetChanged changed -> restart(changed.serverId());
            case ServerEvents.Removed removed -> stopWatch(removed.serverId());
            case ServerEvents.AgentTokenRevoked ignored -> { }
            case ServerEvents.ScrapeTargetChanged ignored -> { }
        }
    }

    /** The live hubs changed: start the watches this hub now owns, stop those another hub took. */
    @EventListener
    void onHubsChanged(Cluster.HubsChanged changed) {
        Thread.ofVirtual().name("flick-rebalance").start(this::rebalance);
    }

    private synchronized void rebalance() {
        if (!running) return;
        int started = cluster.rebalance(servers.sshServerIds(), watches.keySet(), this::stopWatch, this::restart);
        if (started > 0) log.info("Took over {} server(s) as hubs changed to {}", started, cluster.liveHubs());
    }

    private synchronized void restart(String serverId) {
        if (!running) return;
        stopWatch(serverId);
        if (!cluster.owns(serverId)) return; // another hub of the cluster collects it
        SshWatch watch = new SshWatch(serverId, client(), servers, addresses, presence, ingest, interval, settings, eventLog);
        watches.put(serverId, watch);
        watch.start();
    }

    private void stopWatch(String serverId) {
        SshWatch old = watches.remove(serverId);
        if (old != null) {
            old.stop();
            try {
                old.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized SshClient client() {
        if (client == null) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(new ConfirmedKeysOnly());
            c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            c.start();
            client = c;
        }
        return client;
    }

    @Scheduled(fixedDelay = 5_000)
    void closeStalledSessions() {
        long now = System.currentTimeMillis();
        watches.values().forEach(w -> w.closeIfStalled(now));
    }

    /** Accepts the trusted fingerprint only; any other key (the first one, or a changed one) is kept for an admin. */
    private final class ConfirmedKeysOnly implements ServerKeyVerifier {
        @Override
        public boolean verifyServerKey(ClientSession session, java.net.SocketAddress remote, PublicKey key) {
            SshWatch.HostKeyCheck check = session.getConnectionContext() == null ? null
                    : session.getConnectionContext().getAttribute(SshWatch.HOST_KEY_CHECK);
            if (check == null) return false;
            String fingerprint = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
            String type = KeyUtils.getKeyType(key);
            check.presented = fingerprint;
            check.presentedType = type;
            if (check.trusted == null) {
                check.unconfirmed = true;
                if (servers.offerFirstHostKey(check.serverId, fingerprint, type)) {
                    log.info("SSH server {}: host key {} {} presented; waiting for an admin to confirm it", check.serverId, type, fingerprint);
                }
                return false;
            }
            if (check.trusted.equals(fingerprint)) {
                servers.noteHostKeyType(check.serverId, fingerprint, type);
                return true;
            }
            check.changed = true;
            servers.offerHostKey(check.serverId, fingerprint, type);
            log.warn("SSH server {}: host key {} (trusted {}, presented {}); refusing until an admin accepts it",
                    check.serverId, check.connectedBefore ? "changed" : "does not match the one given", check.trusted, fingerprint);
            return false;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        watches.keySet().forEach(this::stopWatch);
        if (client != null) client.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
