package dev.flick.hub.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a port, so a test can take the network away from a client (the hub) while the
 * server (PostgreSQL) stays up and the test itself still reaches the server directly.
 *
 * <p>{@link #cut(Mode)} has two shapes of outage: {@link Mode#REFUSE} is a server that went away (every open
 * connection is reset, new ones are refused: ECONNREFUSED), {@link Mode#BLACKHOLE} is a network partition (open
 * connections go silent in both directions, new ones complete the TCP handshake and are then never answered; nothing
 * is lost, as TCP retransmits would not lose it, so whatever the client has not timed out resumes on restore).
 */
public final class TcpProxy implements AutoCloseable {

    public enum Mode {
        /** The far side is gone: open connections are reset, new connections are refused. */
        REFUSE,
        /** A partition: open connections stall, new connections are accepted and never answered, until restore. */
        BLACKHOLE
    }

    private final InetSocketAddress target;
    private final int port;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile ServerSocket listener;
    private volatile Mode cut; // null while connected
    private volatile boolean closed;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        ServerSocket s = listen(0);
        this.port = s.getLocalPort();
        this.listener = s;
        startAccepting(s);
    }

    public int port() {
        return port;
    }

    /** Connections currently open through the proxy (held blackholed ones included). */
    public int openConnections() {
        return links.size();
    }

    /** Local ports of the proxy's own connections to the target: what the target sees as the clients' ports. */
    public Set<Integer> upstreamPorts() {
        Set<Integer> ports = ConcurrentHashMap.newKeySet();
        for (Link l : links) {
            Socket u = l.upstream;
            if (u != null) ports.add(u.getLocalPort());
        }
        return ports;
    }

    public synchronized void cut(Mode mode) throws IOException {
        if (cut != null) throw new IllegalStateException("already cut (" + cut + ")");
        cut = mode;
        if (mode == Mode.REFUSE) {
            ServerSocket s = listener;
            listener = null;
            s.close(); // nothing listens on the port: connects get ECONNREFUSED
            for (Link l : links) l.reset();
        }
        // BLACKHOLE: the pumps see `cut` and stop moving bytes; new connections are held by the accept loop.
    }

    public synchronized void restore() throws IOException {
        if (cut == null) return;
        Mode was = cut;
        if (was == Mode.REFUSE) {
            ServerSocket s = rebind();
            listener = s;
            cut = null;
            startAccepting(s);
        } else {
            synchronized (gate) {
                cut = null;
                gate.notifyAll();
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        ServerSocket s = listener;
        if (s != null) s.close();
        for (Link l : links) l.reset();
    }

    private ServerSocket listen(int p) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 200);
        return s;
    }

    /** The port was ours a moment ago; another socket may hold it briefly, so try for a few seconds. */
    private ServerSocket rebind() throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                return listen(port);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw new IOException("cannot listen on " + port + " again", e);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
    }

    private void startAccepting(ServerSocket s) {
        Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + port).start(() -> {
            while (!s.isClosed()) {
                Socket client;
                try {
                    client = s.accept();
                } catch (IOException e) {
                    return; // closed by cut(REFUSE) or close()
                }
                Link link = new Link(client);
                links.add(link);
                Thread.ofVirtual().name("tcp-proxy-link-" + port).start(link::run);
            }
        });
    }

    /** Waits while the proxy is blackholed; false once the proxy is closed. */
    private boolean passable() {
        synchronized (gate) {
            while (cut == Mode.BLACKHOLE && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !closed;
        }
    }

    private final class Link {
        final Socket client;
        volatile Socket upstream;

        Link(Socket client) {
            this.client = client;
        }

        void run() {
            try {
                // A connection that arrives during a blackhole is held here, unanswered, until restore.
                if (!passable()) return;
                Socket u = new Socket();
                u.connect(target, 5_000);
                upstream = u;
                if (cut == Mode.REFUSE) return;
                Thread back = Thread.ofVirtual().start(() -> pump(u, client));
                pump(client, u);
                back.join();
            } catch (IOException | InterruptedException e) {
                // the target refused or the link was reset: the client sees its socket close
            } finally {
                reset();
            }
        }

        /** Copies one direction; during a blackhole it stops reading, so bytes wait in the kernel's buffers. */
        void pump(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    if (!passable()) return;
                    int n = in.read(buf);
                    if (n < 0) return;
                    if (!passable()) return; // read just before a cut: hold it back until restore
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // either side went away
            } finally {
                reset();
            }
        }

        /** Closes both sides with RST (linger 0): the peers learn at once and no TIME_WAIT keeps the port. */
        void reset() {
            links.remove(this);
            abort(client);
            Socket u = upstream;
            if (u != null) abort(u);
        }

        private static void abort(Socket s) {
            try {
                if (!s.isClosed()) s.setSoLinger(true, 0);
            } catch (SocketException ignored) {
                // already gone
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
