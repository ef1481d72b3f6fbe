package dev.flick.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket connection to the hub's /api/v1/agent, made with the JDK's client. Sends are made from one thread
 * only (the agent's link loop); what the hub sends is queued for that thread to read, so there is no shared state
 * beyond the queue.
 */
final class HubLink implements AutoCloseable {

    /** Something the hub said, or the end of the connection. */
    sealed interface Incoming {
        record Text(String json) implements Incoming {}
        record Closed(int code, String reason) implements Incoming {}
    }

    /** The connection ended (closed by the hub, a network error, or the hub went quiet). */
    static final class Lost extends Exception {
        final int code;

        Lost(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final BlockingQueue<Incoming> incoming = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private HubLink(WebSocket socket) {
        this.socket = socket;
    }

    static HubLink open(HttpClient http, URI uri, Duration timeout) throws Lost, InterruptedException {
        Listener listener = new Listener();
        try {
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, listener)
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            HubLink link = new HubLink(ws);
            listener.attach(link.incoming);
            return link;
        } catch (ExecutionException e) {
            throw new Lost(-1, describe(e.getCause()));
        } catch (TimeoutException e) {
            throw new Lost(-1, "no answer within " + timeout.toSeconds() + " s");
        }
    }

    void send(String json) throws Lost, InterruptedException {
        try {
            socket.sendText(json, true).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new Lost(-1, "send failed: " + describe(e.getCause()));
        } catch (TimeoutException e) {
            throw new Lost(-1, "send did not finish within 30 s");
        }
    }

    /** The next text message, or null when none came within the wait; a closed connection throws. */
    String receive(long millis) throws Lost, InterruptedException {
        Incoming m = incoming.poll(millis, TimeUnit.MILLISECONDS);
        if (m == null) return null;
        if (m instanceof Incoming.Closed c) {
            incoming.add(c); // stays closed for later reads too
            throw new Lost(c.code(), c.reason());
        }
        return ((Incoming.Text) m).json();
    }

    @Override
    public void close() {
        try {
            if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "agent stopping").get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the socket is going away anyway
        }
        socket.abort();
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    static HttpClient client(ExecutorService executor, Duration connectTimeout) {
        return HttpClient.newBuilder().executor(executor).connectTimeout(connectTimeout).build();
    }

    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final BlockingQueue<Incoming> early = new LinkedBlockingQueue<>();
        private volatile BlockingQueue<Incoming> target;

        void attach(BlockingQueue<Incoming> queue) {
            synchronized (this) {
                early.drainTo(queue);
                target = queue;
            }
        }

        private synchronized void put(Incoming m) {
            (target != null ? target : early).add(m);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                put(new Incoming.Text(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            put(new Incoming.Closed(statusCode, reason == null || reason.isEmpty() ? "closed by the hub" : reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            put(new Incoming.Closed(-1, describe(error)));
        }
    }
}
