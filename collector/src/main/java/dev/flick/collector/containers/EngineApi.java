package dev.flick.collector.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * GET requests to a Docker-compatible Engine API (Docker, and Podman's compat service). HTTP/1.0 with one request a
 * connection: the engine answers with a plain body and closes, so there is no chunking or keep-alive to manage, and
 * a unix socket connects in microseconds. Every request has a deadline after which its stream is closed, so a hung
 * engine cannot hang the sampler. Answers above 8 MiB are refused.
 */
final class EngineApi {

    static final String VERSION = "/v1.41";
    private static final int MAX_BODY = 8 << 20;

    private final EngineTransport transport;
    private final long timeoutMs;

    EngineApi(EngineTransport transport, long timeoutMs) {
        this.transport = transport;
        this.timeoutMs = timeoutMs;
    }

    /** A non-2xx answer: its status, never its body (which may quote what it was asked). */
    static final class Refused extends IOException {
        final int status;

        Refused(int status) {
            super("engine answered " + status);
            this.status = status;
        }
    }

    /** The parsed JSON answer to {@code GET /v1.41{path}}. */
    Object get(String path) throws IOException {
        EngineTransport.Stream stream = transport.open();
        Deadline deadline = Deadline.arm(stream, timeoutMs);
        try (stream) {
            OutputStream out = stream.out();
            out.write(("GET " + VERSION + path + " HTTP/1.0\r\nHost: engine\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = readAll(stream.in());
            return parse(answer);
        } catch (IOException e) {
            if (deadline.fired) throw new IOException("engine did not answer within " + timeoutMs + " ms");
            throw e;
        } finally {
            deadline.disarm();
        }
    }

    static Object parse(byte[] answer) throws IOException {
        int headEnd = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) throw new IOException("engine answer has no header end");
        String head = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) throw new IOException("engine answer is not HTTP");
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new IOException("engine answer has no status");
        }
        if (code < 200 || code > 299) throw new Refused(code);
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
        }
        int from = headEnd + 4;
        String body = chunked ? dechunk(answer, from) : new String(answer, from, answer.length - from, StandardCharsets.UTF_8);
        try {
            return Json.parse(body);
        } catch (RuntimeException e) {
            throw new IOException("engine answer is not JSON: " + e.getMessage());
        }
    }

    private static String dechunk(byte[] b, int at) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (at < b.length) {
            int lineEnd = indexOf(b, at, (byte) '\r');
            if (lineEnd < 0) break;
            String sizeText = new String(b, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            at = lineEnd + 2;
            if (size == 0) break;
            if (size < 0 || at + size > b.length) throw new IOException("chunk runs past the answer");
            out.write(b, at, size);
            at += size + 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_BODY) throw new IOException("engine answer over " + MAX_BODY + " bytes");
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) if (b[i + k] != what[k]) continue outer;
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, byte what) {
        for (int i = from; i < b.length; i++) if (b[i] == what) return i;
        return -1;
    }

    /** Closes a stream whose request outlived its deadline; one daemon thread for all, started on first use. */
    private static final class Deadline implements Delayed {
        private static final DelayQueue<Deadline> QUEUE = new DelayQueue<>();
        private static volatile Thread watcher;

        private final EngineTransport.Stream stream;
        private final long dueNanos;
        volatile boolean fired;

        private Deadline(EngineTransport.Stream stream, long timeoutMs) {
            this.stream = stream;
            this.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        }

        static Deadline arm(EngineTransport.Stream stream, long timeoutMs) {
            Deadline d = new Deadline(stream, timeoutMs);
            start();
            QUEUE.add(d);
            return d;
        }

        void disarm() {
            QUEUE.remove(this);
        }

        private static synchronized void start() {
            if (watcher != null) return;
            Thread t = new Thread(Deadline::watch, "container-engine-deadline");
            t.setDaemon(true);
            t.start();
            watcher = t;
        }

        private static void watch() {
            while (true) {
                try {
                    Deadline d = QUEUE.take();
                    d.fired = true;
                    try {
                        d.stream.close();
                    } catch (IOException ignored) {
                        // closing is all we wanted
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Deadline) o).dueNanos);
        }
    }
}
