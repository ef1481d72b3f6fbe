package dev.flick.hub.edge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO endpoint with two limits it lacks. Per address: a client may hold {@code perAddress} connections;
 * more are closed as they are accepted (trusted proxies are not counted: they carry everyone). Header deadline:
 * Tomcat's connection timeout restarts with every byte, so a client trickling its headers holds a connection for
 * hours; here a connection waiting for the rest of a request (not while the hub works on one, nor a WebSocket) is
 * closed once that wait exceeds {@code headerTimeout}.
 */
final class GuardedEndpoint extends NioEndpoint {

    private static final Logger log = LoggerFactory.getLogger(GuardedEndpoint.class);

    /** One accepted connection. waitingSince: when it began waiting for a request's bytes (0: not waiting). */
    private static final class Tracked {
        final String address;
        final boolean counted;
        volatile long waitingSince;
        volatile boolean busy;
        volatile boolean upgraded;

        Tracked(String address, boolean counted, long now) {
            this.address = address;
            this.counted = counted;
            this.waitingSince = now;
        }
    }

    private final Map<SocketChannel, Tracked> tracked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile AddressBlocks exempt = new AddressBlocks(java.util.List.of());
    private volatile int maxPerAddress = Integer.MAX_VALUE;
    private volatile long headerTimeoutNanos = Long.MAX_VALUE;
    private ScheduledExecutorService sweeper;

    void guard(AddressBlocks exempt, int maxPerAddress, Duration headerTimeout) {
        this.exempt = exempt;
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeout.toNanos();
    }

    long refused() {
        return refused.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    @Override
    public void setHandler(Handler<NioChannel> handler) {
        super.setHandler(new Watching(handler));
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        String address = address(socket);
        boolean counted = address != null && !exempt.contains(address);
        if (counted) {
            AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
            if (n.incrementAndGet() > maxPerAddress) {
                release(address);
                if (refused.incrementAndGet() % 1_000 == 1) {
                    log.warn("Closing connections from {}: over {} open connections from one address ({} refused so far)",
                            address, maxPerAddress, refused.get());
                }
                destroySocket(socket); // the acceptor closes only sockets that got as far as a wrapper
                return false;
            }
        }
        tracked.put(socket, new Tracked(address, counted, System.nanoTime()));
        boolean ok = super.setSocketOptions(socket);
        if (!ok) forget(socket);
        return ok;
    }

    @Override
    public void startInternal() throws Exception {
        super.startInternal();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("flick-header-deadline").daemon().unstarted(r));
        sweeper.scheduleWithFixedDelay(this::closeSlowRequests, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stopInternal() {
        if (sweeper != null) sweeper.shutdownNow();
        super.stopInternal();
    }

    private void closeSlowRequests() {
        try {
            long now = System.nanoTime();
            for (SocketWrapperBase<NioChannel> wrapper : getConnections()) {
                Tracked t = tracked.get(key(wrapper));
                if (t == null || t.busy || t.upgraded) continue;
                long since = t.waitingSince;
                if (since != 0 && now - since > headerTimeoutNanos) {
                    t.waitingSince = 0;
                    timedOut.incrementAndGet();
                    wrapper.setError(new SocketTimeoutException("request headers took too long"));
                    if (!processSocket(wrapper, SocketEvent.ERROR, true)) wrapper.close();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Header deadline sweep failed: {}", e.toString());
        }
    }

    private void forget(SocketChannel socket) {
        Tracked t = socket == null ? null : tracked.remove(socket);
        if (t != null && t.counted) release(t.address);
    }

    private void release(String address) {
        perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static SocketChannel key(SocketWrapperBase<NioChannel> wrapper) {
        NioChannel channel = wrapper.getSocket();
        return channel == null ? null : channel.getIOChannel();
    }

    private static String address(SocketChannel socket) {
        try {
            return socket.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Sees every connection's requests start and end, and its close. */
    private final class Watching implements Handler<NioChannel> {
        private final Handler<NioChannel> delegate;

        Watching(Handler<NioChannel> delegate) {
            this.delegate = delegate;
        }

        @Override
        public SocketState process(SocketWrapperBase<NioChannel> wrapper, SocketEvent event) {
            Tracked t = tracked.get(key(wrapper));
            if (t != null) t.busy = true;
            SocketState state = SocketState.CLOSED;
            try {
                state = delegate.process(wrapper, event);
                return state;
            } finally {
                if (t != null) {
                    switch (state) {
                        // A request's line or headers are incomplete: the wait goes on (or starts).
                        case LONG -> { if (t.waitingSince == 0) t.waitingSince = System.nanoTime(); }
                        case UPGRADING, UPGRADED -> t.upgraded = true;
                        default -> t.waitingSince = 0; // served; idle keep-alive is Tomcat's keep-alive timeout
                    }
                    t.busy = false;
                }
            }
        }

        @Override
        public Object getGlobal() {
            return delegate.getGlobal();
        }

        @Override
        public void release(SocketWrapperBase<NioChannel> wrapper) {
            try {
                delegate.release(wrapper);
            } finally {
                forget(key(wrapper));
            }
        }

        @Override
        public void pause() {
            delegate.pause();
        }

        @Override
        public void recycle() {
            delegate.recycle();
        }
    }
}
