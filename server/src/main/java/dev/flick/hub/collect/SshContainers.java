package dev.flick.hub.collect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import dev.flick.collector.Snapshot;
import dev.flick.collector.containers.ContainerCollector;
import dev.flick.collector.containers.EngineTransport;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.ConnectionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The containers of an SSH server, read from its engine socket through the session's
 * {@code direct-streamlocal@openssh.com} channels ({@link StreamLocalChannel}): nothing is installed or run on the
 * target. Its own virtual thread samples once per interval (the engine's one-shot stats per running container, as
 * the target's cgroup files are out of reach) and keeps the latest list, which the sampler attaches to each
 * snapshot; so a slow engine never delays the host's own samples. Sockets are tried in order; with none answering,
 * it looks again every 10 s and the snapshots carry no containers section.
 */
final class SshContainers {

    private static final Logger log = LoggerFactory.getLogger(SshContainers.class);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

    private final String serverId;
    private final ClientSession session;
    private final List<String> sockets;
    private final Duration interval;
    private volatile boolean running = true;
    private volatile List<Snapshot.Container> latest;
    private volatile long latestAt;
    private Thread thread;

    SshContainers(String serverId, ClientSession session, List<String> sockets, Duration interval) {
        this.serverId = serverId;
        this.session = session;
        this.sockets = sockets;
        this.interval = interval;
    }

    void start() {
        thread = Thread.ofVirtual().name("flick-ssh-containers-" + serverId).start(this::loop);
    }

    void stop() {
        running = false;
        if (thread != null) thread.interrupt();
    }

    /** The latest containers, or null when there is no engine (or its answer is older than three intervals). */
    List<Snapshot.Container> latest() {
        return System.nanoTime() - latestAt > interval.toNanos() * 3 + 2_000_000_000L ? null : latest;
    }

    private void loop() {
        String uid = null;
        while (running && session.isOpen()) {
            ContainerCollector collector = null;
            for (String pattern : sockets) {
                if (pattern.contains("{uid}") && uid == null) uid = uid();
                String path = pattern.replace("{uid}", uid == null ? "0" : uid);
                ContainerCollector candidate = new ContainerCollector(new Transport(session, path), false);
                if (candidate.sample() != null) {
                    collector = candidate;
                    log.info("SSH server {}: reading containers through {}", serverId, path);
                    break;
                }
            }
            if (collector == null) {
                if (!pause(Duration.ofSeconds(10))) return;
                continue;
            }
            while (running && session.isOpen()) {
                long started = System.nanoTime();
                List<Snapshot.Container> list = collector.sample();
                if (list == null) { // the engine went away: look for it again
                    log.info("SSH server {}: the container engine stopped answering ({})", serverId, collector.lastProblem());
                    break;
                }
                latest = list;
                latestAt = System.nanoTime();
                long left = interval.toNanos() - (System.nanoTime() - started);
                if (left > 0 && !pause(Duration.ofNanos(left))) return;
            }
            latest = null;
        }
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The login user's id, for the user's Podman socket. */
    private String uid() {
        try (ChannelExec channel = session.createExecChannel("id -u")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setOut(out);
            channel.setErr(OutputStream.nullOutputStream());
            channel.open().verify(OPEN_TIMEOUT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), OPEN_TIMEOUT);
            String id = out.toString(StandardCharsets.US_ASCII).strip();
            return id.matches("[0-9]{1,10}") ? id : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One stream-local channel per request. */
    private record Transport(ClientSession session, String path) implements EngineTransport {

        @Override
        public Stream open() throws IOException {
            StreamLocalChannel channel = new StreamLocalChannel(path);
            try {
                session.getService(ConnectionService.class).registerChannel(channel);
                channel.open().verify(OPEN_TIMEOUT);
            } catch (IOException | RuntimeException e) {
                channel.close(true);
                throw e instanceof IOException io ? io : new IOException(e);
            }
            InputStream pipe = channel.getInvertedOut();
            OutputStream out = channel.getInvertedIn();
            // sshd sends EOF when the engine closes, but keeps the channel open until we end our side; MINA's pipe
            // only ends on close. So the stream ends here once EOF came and the pipe is drained.
            InputStream in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    while (true) {
                        int available = pipe.available();
                        if (available > 0) return pipe.read(b, off, Math.min(len, available));
                        var state = channel.getChannelState();
                        if (state.contains(ClientChannelEvent.EOF) || state.contains(ClientChannelEvent.CLOSED)) {
                            if (pipe.available() > 0) continue;
                            return -1;
                        }
                        channel.waitFor(EnumSet.of(ClientChannelEvent.EOF, ClientChannelEvent.CLOSED), Duration.ofMillis(20));
                    }
                }
            };
            return new Stream() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public void close() {
                    channel.close(false);
                }
            };
        }

        @Override
        public String describe() {
            return path;
        }
    }
}
