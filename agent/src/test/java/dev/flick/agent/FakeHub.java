package dev.flick.agent;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * A hub speaking protocol 2 (docs/durability.md) on a real loopback socket, scripted by its public fields: it probes
 * the clock after auth, answers batches with an ack, a storage-unavailable error, or nothing (then hangs up), and
 * records everything the agent sent. The real hub's side is in the server module's tests.
 */
final class FakeHub implements AutoCloseable {

    enum Answer { ACK, UNAVAILABLE, HANG_UP }

    /** How the next batches are answered. */
    volatile Answer answer = Answer.ACK;
    volatile long retryMs = 300;
    volatile long clockOffsetMs;
    /** The ts of items to list as refused in their batch's ack. */
    final Set<Long> refuse = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    /** Refuse the last item of the next acknowledged batch, and ack only up to the newest item stored. */
    volatile boolean refuseLast;
    /** Send a clock probe before answering each batch, and record its answer. */
    volatile boolean probeBeforeAck;

    final List<String> auths = new CopyOnWriteArrayList<>();
    final List<String> timeReplies = new CopyOnWriteArrayList<>();
    /** For each time reply: the hub's clock when the probe went out, and when the answer came. */
    final List<long[]> probeTimes = new CopyOnWriteArrayList<>();
    /** Items of every snapshots message, in arrival order (resends included). */
    final List<Long> sent = new CopyOnWriteArrayList<>();
    /** Items acknowledged (not refused). */
    final List<Long> stored = new CopyOnWriteArrayList<>();
    final List<Long> live = new CopyOnWriteArrayList<>();
    final List<Long> refusedSent = new CopyOnWriteArrayList<>();
    volatile int connections;

    private final int port;
    private volatile ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile Thread acceptor;

    FakeHub(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.server = s;
        this.port = s.getLocalPort();
        acceptor = new Thread(this::acceptLoop, "fake-hub");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!s.isClosed()) {
            try {
                Socket c = s.accept();
                open.add(c);
                Thread t = new Thread(() -> serve(c), "fake-hub-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(60_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
            String key = head.toString().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
            socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + HubLink.expectedAccept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            HubLinkTest.Peer peer = new HubLinkTest.Peer(socket, head.toString(), in);
            connections++;
            while (true) {
                HubLinkTest.Frame f = peer.read();
                if (f.opcode() == 0x8) return;
                if (f.opcode() != 0x1) continue;
                String m = f.text();
                switch (Messages.string(m, "type")) {
                    case "auth" -> {
                        auths.add(m);
                        probe(peer);
                        peer.text(true, 0x1, "{\"type\":\"ready\",\"serverId\":\"s-1\",\"clockOffsetMs\":" + clockOffsetMs + "}");
                    }
                    case "snapshots" -> {
                        List<Long> items = new ArrayList<>();
                        for (String item : Messages.objects(m, "items")) items.add(Messages.number(item, "ts"));
                        sent.addAll(items);
                        if (probeBeforeAck) probe(peer);
                        Answer a = answer;
                        if (a == Answer.HANG_UP) return;
                        if (a == Answer.UNAVAILABLE) {
                            peer.text(true, 0x1, "{\"type\":\"error\",\"code\":\"storage-unavailable\",\"message\":\"the database is down\","
                                    + "\"retryMs\":" + retryMs + "}");
                            continue;
                        }
                        if (refuseLast) {
                            refuseLast = false;
                            refuse.add(items.get(items.size() - 1));
                        }
                        StringBuilder refused = new StringBuilder();
                        long newestStored = 0;
                        for (long ts : items) {
                            if (refuse.contains(ts)) {
                                if (refused.length() > 0) refused.append(',');
                                refused.append("{\"ts\":").append(ts).append(",\"code\":\"bad-snapshot\",\"message\":\"cpu.usage is out of range\"}");
                                refusedSent.add(ts);
                            } else {
                                stored.add(ts);
                                newestStored = Math.max(newestStored, ts);
                            }
                        }
                        // refused before ts on purpose: the agent must read the ack's own ts, not an item's
                        long ts = refused.length() > 0 && refuse.contains(items.get(items.size() - 1)) ? newestStored
                                : items.stream().mapToLong(Long::longValue).max().orElse(0);
                        peer.text(true, 0x1, "{\"type\":\"ack\",\"refused\":[" + refused + "],\"ts\":" + ts + "}");
                    }
                    case "live" -> live.add(Messages.number(m.substring(m.indexOf("\"item\":") + 7, m.length() - 1), "ts"));
                    default -> { } // info, ping
                }
            }
        } catch (IOException | RuntimeException e) {
            // the agent went away or the hub was closed
        }
    }

    /** A clock probe; reads frames until its answer (the agent sends nothing else while it waits). */
    private void probe(HubLinkTest.Peer peer) throws IOException {
        long h = System.currentTimeMillis();
        peer.text(true, 0x1, "{\"type\":\"time\",\"h\":" + h + "}");
        while (true) {
            HubLinkTest.Frame f = peer.read();
            if (f.opcode() != 0x1) continue;
            String m = f.text();
            if (Messages.string(m, "type").equals("time")) {
                probeTimes.add(new long[] {h, System.currentTimeMillis()});
                timeReplies.add(m);
                return;
            }
        }
    }

    /** Stops listening and drops every connection, as a hub that went away. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }
}
