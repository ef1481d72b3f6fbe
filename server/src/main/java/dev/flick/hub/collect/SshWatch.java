package dev.flick.hub.collect;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.flick.collector.HostInfo;
import dev.flick.collector.MalformedSampleException;
import dev.flick.collector.ProcHostInfo;
import dev.flick.collector.ProcSample;
import dev.flick.collector.ProcSampleParser;
import dev.flick.collector.ProcScript;
import dev.flick.collector.ProcSnapshotCalculator;
import dev.flick.collector.Snapshot;
import dev.flick.hub.logs.EventLog;
import dev.flick.hub.metrics.Ingest;
import dev.flick.hub.servers.StatusReason;
import dev.flick.hub.servers.Presence;
import dev.flick.hub.servers.Servers;
import dev.flick.hub.servers.SshAddresses;
import dev.flick.hub.servers.SshKeys;
import dev.flick.hub.servers.SshTarget;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one SSH server: one session, one long-lived {@code bash -s} running {@link ProcScript#bashSampler} fed on
 * stdin (the nonce never shows in ps; {@code sh -s} with {@link ProcScript#sampler} where bash is missing or older
 * than 4.4), each printed block parsed and turned into a snapshot for {@link Ingest#accept}. A second channel of
 * the same session follows the system log ({@link SshLogFollower}). On any failure the reason becomes the server's
 * status and the session is retried with full-jitter backoff, except when only an admin can help (a changed host
 * key), which waits for the server to be edited. Connects, disconnects and errors go to the hub's event log.
 */
final class SshWatch {

    private static final Logger log = LoggerFactory.getLogger(SshWatch.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final AttributeRepository.AttributeKey<HostKeyCheck> HOST_KEY_CHECK = new AttributeRepository.AttributeKey<>();

    private final String serverId;
    private final SshClient client;
    private final Servers servers;
    private final SshAddresses addresses;
    private final Presence presence;
    private final Ingest ingest;
    private final Duration interval;
    private final SshSettings settings;
    private final EventLog eventLog;
    private volatile boolean running = true;
    private volatile SshLogFollower follower;
    private volatile SshContainers containers;
    /** Set once bash failed to start a sampler here: later sessions go straight to sh. */
    private volatile boolean noBash;
    private boolean connected;
    private String lastError;
    private volatile ClientSession session;
    private volatile long lastBlockAt;
    private Thread thread;

    /** What the host key verifier saw for one connection attempt. */
    static final class HostKeyCheck {
        final String serverId;
        final String trusted;
        final boolean connectedBefore;
        volatile String presented;
        volatile String presentedType;
        volatile boolean changed;
        /** No key is trusted yet: the presented one waits for an admin. */
        volatile boolean unconfirmed;

        HostKeyCheck(String serverId, String trusted, boolean connectedBefore) {
            this.serverId = serverId;
            this.trusted = trusted;
            this.connectedBefore = connectedBefore;
        }
    }

    SshWatch(String serverId, SshClient client, Servers servers, SshAddresses addresses, Presence presence, Ingest ingest,
             Duration interval, SshSettings settings, EventLog eventLog) {
        this.serverId = serverId;
        this.addresses = addresses;
        this.client = client;
        this.servers = servers;
        this.presence = presence;
        this.ingest = ingest;
        this.interval = interval;
        this.settings = settings;
        this.eventLog = eventLog;
    }

    /** The log follower of the current session, if any (tests read its counts). */
    SshLogFollower follower() {
        return follower;
    }

    void start() {
        thread = Thread.ofVirtual().name("flick-ssh-" + serverId).start(this::loop);
    }

    void stop() {
        running = false;
        closeSession();
        if (thread != null) thread.interrupt();
    }

    void join(long millis) throws InterruptedException {
        if (thread != null) thread.join(millis);
    }

    /** Closes a session whose command went quiet (no block for three intervals and 15 s): the loop reconnects. */
    void closeIfStalled(long now) {
        ClientSession s = session;
        if (s != null && lastBlockAt > 0 && now - lastBlockAt > 3 * interval.toMillis() + 15_000) {
            log.warn("SSH server {}: no sample for {} s, reconnecting", serverId, (now - lastBlockAt) / 1000);
            closeSession();
        }
    }

    private void loop() {
        long attempt = 0;
        while (running) {
            try {
                Optional<SshTarget> target = servers.sshTarget(serverId);
                if (target.isEmpty()) return;
                watch(target.get());
                attempt = 0;
                if (running) throw SshFailure.transientProblem(StatusReason.Code.SSH_SESSION_ENDED, Map.of(), "The session ended");
            } catch (SshFailure f) {
                if (!running) return;
                if (f.pending) {
                    presence.pending(serverId, f.reason);
                    if (!f.getMessage().equals(lastError)) {
                        eventLog.hub("notice", f.getMessage(), null, "server:" + serverId, serverId);
                    }
                    lastError = f.getMessage();
                    return; // accepting the key starts a new watch
                }
                presence.error(serverId, f.reason);
                record(f.getMessage());
                log.info("SSH server {}: {}", serverId, f.getMessage());
                if (!f.retry) return; // an edit or an accepted host key starts a new watch
                long ceiling = Math.min(f.maxBackoffMillis, 1_000L << Math.min(attempt++, 20));
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling + 1));
                } catch (InterruptedException e) {
                    return;
                }
            } catch (IllegalStateException undecryptable) {
                if (running) {
                    presence.error(serverId, StatusReason.of(StatusReason.Code.CREDENTIALS_UNUSABLE, Map.of("why", String.valueOf(undecryptable.getMessage())),
                            "Stored credentials cannot be used: " + undecryptable.getMessage()));
                    record("Stored credentials cannot be used: " + undecryptable.getMessage());
                }
                return;
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Never let one server's surprise end its watch silently.
                log.warn("SSH server {}: unexpected {}", serverId, e.toString());
                if (running) {
                    presence.error(serverId, StatusReason.of(StatusReason.Code.UNEXPECTED, Map.of("kind", e.getClass().getSimpleName()),
                            "Unexpected error: " + e.getClass().getSimpleName()));
                    record("Unexpected error: " + e.getClass().getSimpleName());
                }
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException ie) {
                    return;
                }
            } finally {
                closeSession();
            }
        }
    }

    /** A session that ended is a disconnect; a failure to connect is logged once until the reason changes. */
    private void record(String reason) {
        String target = "server:" + serverId;
        if (connected) {
            eventLog.hub("warning", "SSH session ended: " + reason, null, target, serverId);
        } else if (!reason.equals(lastError)) {
            eventLog.hub("error", "SSH connection failed: " + reason, null, target, serverId);
        }
        connected = false;
        lastError = reason;
    }

    private void watch(SshTarget t) throws SshFailure, InterruptedException {
        HostKeyCheck check = new HostKeyCheck(serverId, t.hostKeyFingerprint(), t.connectedBefore());
        String where = t.username() + "@" + t.host() + ":" + t.port();
        // No credentials (discarded when the server moved): nothing to log in with, so no reason to connect at all.
        if (!t.credentials().hasKey() && !t.credentials().hasPassword()) {
            throw SshFailure.needsAdmin(StatusReason.Code.SSH_NO_CREDENTIALS, Map.of(), "No credentials are stored for this server: enter a password or private key");
        }
        InetSocketAddress address;
        try {
            address = addresses.vet(t.host(), t.port(), t.allowLoopback());
        } catch (UnknownHostException e) {
            throw SshFailure.transientProblem(StatusReason.Code.SSH_UNRESOLVED, Map.of("host", t.host()), "Cannot resolve the host name " + t.host());
        } catch (SshAddresses.Refused e) {
            throw SshFailure.needsAdmin(StatusReason.Code.SSH_ADDRESS_REFUSED, Map.of("why", e.getMessage()), "Not connecting: " + e.getMessage());
        }
        ClientSession s;
        try {
            // The vetted address, a literal: no second DNS lookup between the check and the connection.
            s = client.connect(t.username(), address, AttributeRepository.ofKeyValuePair(HOST_KEY_CHECK, check), null)
                    .verify(CONNECT_TIMEOUT).getSession();
        } catch (IOException | RuntimeException e) {
            throwIfHostKeyRefused(check);
            throw unreachable(t, e);
        }
        session = s;
        if (!running) return;
        if (t.credentials().hasKey()) {
            try {
                for (KeyPair pair : SshKeys.read(t.credentials().privateKey(), t.credentials().passphrase())) s.addPublicKeyIdentity(pair);
            } catch (IllegalArgumentException e) {
                throw SshFailure.needsAdmin(StatusReason.Code.SSH_BAD_PRIVATE_KEY, Map.of("why", e.getMessage()), "The stored private key " + e.getMessage());
            }
        } else {
            s.addPasswordIdentity(t.credentials().password());
        }
        try {
            s.auth().verify(CONNECT_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            throwIfHostKeyRefused(check);
            // Only a target that finished the key exchange can have refused the credentials; one that closed before
            // it (a banner that is not SSH) did not, however soon the session notices it is closed.
            if (!isAuthRefusal(e) && (!s.isOpen() || s.getSessionId() == null)) throw unreachable(t, e);
            throw t.credentials().hasKey()
                    ? SshFailure.refused(StatusReason.Code.SSH_KEY_REFUSED, Map.of("user", t.username()),
                            "The server refused the private key for user " + t.username() + " (is its public key in ~/.ssh/authorized_keys?)")
                    : SshFailure.refused(StatusReason.Code.SSH_PASSWORD_REFUSED, Map.of("where", where), "Wrong password for " + where + " (the server refused it)");
        }
        throwIfHostKeyRefused(check);

        HostInfo info = hostInfo(s, where);
        servers.updateInfo(serverId, info);
        log.info("SSH server {}: connected to {} ({}, {})", serverId, where, info.hostname(), info.os());
        connected = true;
        lastError = null;
        eventLog.hub("info", "SSH connected to " + where + " (" + info.hostname() + ")", null, "server:" + serverId, serverId);
        SshLogFollower logs = settings.logs() ? new SshLogFollower(serverId, s, settings, eventLog) : null;
        follower = logs;
        if (logs != null) logs.start();
        SshContainers engine = settings.containers() ? new SshContainers(serverId, s, settings.containerSockets(), interval) : null;
        containers = engine;
        if (engine != null) engine.start();
        try {
            if (noBash || !sample(s, where, true)) sample(s, where, false);
        } finally {
            if (logs != null) logs.stop();
            if (engine != null) engine.stop();
        }
    }

    private HostInfo hostInfo(ClientSession s, String where) throws SshFailure {
        try (ChannelExec channel = s.createExecChannel(ProcScript.SH)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setIn(new java.io.ByteArrayInputStream(ProcScript.HOST_INFO.getBytes(StandardCharsets.UTF_8)));
            channel.setOut(out);
            channel.setErr(OutputStream.nullOutputStream());
            channel.open().verify(CONNECT_TIMEOUT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
            return ProcHostInfo.parse(out.toString(StandardCharsets.UTF_8));
        } catch (MalformedSampleException e) {
            log.info("SSH server {}: host information unreadable: {}", serverId, clean(e.getMessage()));
            throw SshFailure.needsAdmin(StatusReason.Code.SSH_NOT_LINUX, Map.of("where", where), where + " does not look like Linux (its host information cannot be read)");
        } catch (IOException | RuntimeException e) {
            throw SshFailure.transientProblem(StatusReason.Code.SSH_HOST_INFO, Map.of("where", where, "kind", kind(e)), "Could not read host information from " + where + " (" + kind(e) + ")");
        }
    }

    /**
     * Runs a sampler until the session ends or this watch stops.
     *
     * @return false when the bash sampler ended before its first block (no bash, or too old): try sh instead
     */
    /** The same FLICK_INVENTORY, FLICK_SMART_INTERVAL… variables as the hub's own host and the agent (docs/snapshot.md). */
    private static final dev.flick.collector.InventorySettings INVENTORY = inventorySettings();

    private static dev.flick.collector.InventorySettings inventorySettings() {
        try {
            return dev.flick.collector.InventorySettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            // The hub's own collector refuses the same value at start; SSH watches fall back rather than fail to load.
            log.warn("{}; SSH targets use the default inventory settings", e.getMessage());
            return dev.flick.collector.InventorySettings.DEFAULTS;
        }
    }

    private boolean sample(ClientSession s, String where, boolean bash) throws SshFailure {
        String nonce = ProcScript.newNonce();
        ProcSampleParser parser = new ProcSampleParser(nonce, INVENTORY.watchedUnits());
        ProcSnapshotCalculator calculator = new ProcSnapshotCalculator(serverId);
        ByteArrayOutputStream stderr = new BoundedBuffer(2_048);
        String script = bash ? ProcScript.bashSampler(interval, nonce, INVENTORY) : ProcScript.sampler(interval, nonce, INVENTORY);
        try (ChannelExec channel = s.createExecChannel(bash ? ProcScript.BASH : ProcScript.SH)) {
            channel.setIn(new java.io.ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            channel.setErr(stderr);
            channel.open().verify(CONNECT_TIMEOUT);
            BufferedReader in = new BufferedReader(new InputStreamReader(channel.getInvertedOut(), StandardCharsets.UTF_8), 64 * 1024);
            lastBlockAt = System.currentTimeMillis();
            int malformed = 0;
            boolean any = false;
            while (running) {
                String block;
                try {
                    block = parser.nextBlock(in);
                } catch (MalformedSampleException e) {
                    log.info("SSH server {}: sampler output broke off: {}", serverId, clean(e.getMessage()));
                    throw SshFailure.transientProblem(StatusReason.Code.SSH_OUTPUT_BROKE, Map.of(), "The sampler's output broke off");
                }
                if (block == null) {
                    String err = stderr.toString(StandardCharsets.UTF_8).strip();
                    if (bash && !any && s.isOpen() && running) {
                        noBash = true;
                        log.info("SSH server {}: no usable bash ({}); sampling with sh", serverId, err.isEmpty() ? "no output" : clean(err));
                        return false;
                    }
                    // What the target printed goes to the hub's log for an admin, never into the status others read.
                    if (!err.isEmpty()) log.info("SSH server {}: the remote sampler ended: {}", serverId, clean(err));
                    throw SshFailure.transientProblem(StatusReason.Code.SSH_SAMPLER_ENDED, Map.of(), "The remote sampler ended" + (err.isEmpty() ? "" : " (its error output is in the hub's log)"));
                }
                any = true;
                lastBlockAt = System.currentTimeMillis();
                try {
                    ProcSample sample = parser.parse(block, lastBlockAt);
                    Snapshot snapshot = calculator.next(sample);
                    SshContainers engine = containers;
                    List<Snapshot.Container> list = engine == null ? null : engine.latest();
                    ingest.accept(list == null ? snapshot : snapshot.withContainers(list));
                    malformed = 0;
                } catch (MalformedSampleException e) {
                    // One odd block (a process vanishing mid-read) is skipped; a run of them means the target is not Linux enough.
                    log.debug("SSH server {}: skipped a malformed sample: {}", serverId, clean(e.getMessage()));
                    if (++malformed >= 5) throw SshFailure.needsAdmin(StatusReason.Code.SSH_NOT_LINUX, Map.of("where", where), "Samples from " + where + " cannot be read (not the /proc layout FLick expects)");
                }
            }
        } catch (InterruptedIOException e) {
            // stopping
        } catch (IOException e) {
            if (running) throw SshFailure.transientProblem(StatusReason.Code.SSH_LOST, Map.of("where", where, "kind", kind(e)), "Lost the session with " + where + " (" + kind(e) + ")");
        }
        return true;
    }

    private static void throwIfHostKeyRefused(HostKeyCheck check) throws SshFailure {
        if (check.unconfirmed) {
            throw SshFailure.awaitingConfirmation(Map.of("type", String.valueOf(check.presentedType), "presented", String.valueOf(check.presented)),
                    "Confirm the host key " + check.presentedType + " " + check.presented
                    + " (compare it with ssh-keygen -lf on the server's /etc/ssh/ssh_host_*_key.pub); nothing is collected until then");
        }
        if (!check.changed) return;
        if (!check.connectedBefore) {
            throw SshFailure.needsAdmin(StatusReason.Code.SSH_HOST_KEY_MISMATCH,
                    Map.of("presented", String.valueOf(check.presented), "given", String.valueOf(check.trusted)),
                    "The host key presented, " + check.presented + ", does not match the fingerprint given "
                    + "when the server was added (" + check.trusted + "). Check the fingerprint and the address; accept the "
                    + "presented key only if you are sure it is this server's.");
        }
        throw SshFailure.needsAdmin(StatusReason.Code.SSH_HOST_KEY_CHANGED,
                Map.of("trusted", String.valueOf(check.trusted), "presented", String.valueOf(check.presented)),
                "The host key changed: trusted " + check.trusted + ", presented " + check.presented
                + ". If the server was reinstalled or its key rotated, accept the new key; otherwise someone may be "
                + "intercepting the connection.");
    }

    private static SshFailure unreachable(SshTarget t, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String where = t.host() + ":" + t.port();
        if (root instanceof UnknownHostException || root instanceof UnresolvedAddressException) {
            return SshFailure.transientProblem(StatusReason.Code.SSH_UNRESOLVED, Map.of("host", t.host()), "Cannot resolve the host name " + t.host());
        }
        if (root instanceof ConnectException) {
            return SshFailure.transientProblem(StatusReason.Code.SSH_CONNECTION_REFUSED, Map.of("where", where), "Cannot reach " + where + ": connection refused (is sshd running on that port?)");
        }
        if (root instanceof NoRouteToHostException) return SshFailure.transientProblem(StatusReason.Code.SSH_NO_ROUTE, Map.of("where", where), "Cannot reach " + where + ": no route to host");
        if (root instanceof SocketTimeoutException || String.valueOf(root.getMessage()).toLowerCase().contains("timeout")) {
            return SshFailure.transientProblem(StatusReason.Code.SSH_TIMEOUT, Map.of("where", where, "seconds", CONNECT_TIMEOUT.toSeconds()), "Cannot reach " + where + ": no answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
        }
        // Anything else came from the conversation with the target (a banner that is not SSH, a disconnect
        // message): its words are the target's, so the status names only what kind of failure it was.
        return SshFailure.transientProblem(StatusReason.Code.SSH_HANDSHAKE, Map.of("where", where, "kind", kind(root)), "Cannot reach " + where + ": it did not complete an SSH handshake (" + kind(root) + ")");
    }

    private static boolean isAuthRefusal(Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        return m.contains("authentication") || m.contains("no more") || m.contains("auth");
    }

    /** The failure's class, a word of the hub's own: never the message, which may quote what the target sent. */
    private static String kind(Throwable e) {
        return e.getClass().getSimpleName();
    }

    /** The first line of what a target printed, control characters blanked and cut, for the hub's own log. */
    private static String clean(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        if (line.length() > 300) line = line.substring(0, 300);
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            out.append(c < ' ' || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }

    private void closeSession() {
        ClientSession s = session;
        session = null;
        if (s != null) {
            try {
                s.close(true);
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }

    /** Keeps only the first bytes of stderr: enough for a reason, never a memory hazard. */
    static final class BoundedBuffer extends ByteArrayOutputStream {
        private final int max;

        BoundedBuffer(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = max - count;
            if (room > 0) super.write(b, off, Math.min(room, len));
        }

        @Override
        public synchronized void write(int b) {
            if (count < max) super.write(b);
        }
    }
}
