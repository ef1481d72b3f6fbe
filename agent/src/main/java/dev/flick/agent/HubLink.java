package dev.flick.agent;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One WebSocket connection to the hub's /api/v1/agent: a small RFC 6455 client over a plain socket (or TLS for
 * wss://) rather than java.net.http, whose selector thread, buffers and classes cost the agent about 16 MiB and 0.2 %
 * of a core (docs/PERFORMANCE.md). Text frames only, masked as a client must; pings are answered, fragmented
 * messages put back together, and anything larger than {@link #MAX_MESSAGE} ends the connection.
 *
 * <p>Threads: the agent's link loop sends (and reads what arrived); one reader thread per connection parses frames,
 * answers pings and the hub's clock probes ({@code {"type":"time","h":…}}, protocol 2: answered at once whatever the
 * link loop is doing, with the time the frame arrived and the time of the reply) and queues the other text messages. Writes share one lock and one buffer, so a snapshot batch is masked and
 * encoded in place without a copy of the message. A send that stays blocked for {@link #SEND_STUCK_MS} (the hub
 * stopped reading) is ended by the reader, which wakes every few seconds to look.
 */
final class HubLink implements AutoCloseable {

    /** Largest message accepted from the hub; the hub's replies are a few hundred bytes. */
    static final int MAX_MESSAGE = 1 << 20;
    static final long SEND_STUCK_MS = 30_000;
    private static final int READ_WAKE_MS = 5_000;
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;
    private static final int MAX_UNREAD = 256;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final SecureRandom RANDOM = new SecureRandom();

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

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<Incoming> incoming = new ArrayBlockingQueue<>(MAX_UNREAD);
    private final Thread reader;
    /** Frames leave through this one buffer under {@link #writeLock}. */
    private final byte[] frame = new byte[16 * 1024];
    private final ReentrantLock writeLock = new ReentrantLock();
    private final byte[] control = new byte[125];
    private byte[] message = new byte[4 * 1024];
    /** The reader's own reply buffer for clock probes. */
    private final StringBuilder timeReply = new StringBuilder(96);
    private volatile long sendingSince;
    private volatile boolean closing;
    private volatile Incoming.Closed ended;
    private boolean closeSent;

    private HubLink(Socket socket, InputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.reader = new Thread(null, new Runnable() { // a class, not a lambda: see Agent.daemon
            @Override
            public void run() {
                readLoop();
            }
        }, "flick-agent-reader", 0);
        reader.setDaemon(true);
    }

    /** Connects, upgrades and starts the reader; everything before the upgrade is bounded by {@code timeout}. */
    static HubLink open(URI uri, Duration timeout) throws Lost {
        boolean tls = "wss".equals(uri.getScheme());
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(bare, port), millis);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(millis);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, bare, port, true);
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                socket = ssl;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
            upgrade(socket.getOutputStream(), in, uri, uri.getPort() > 0 ? host + ":" + port : host);
            socket.setSoTimeout(READ_WAKE_MS);
            HubLink link = new HubLink(socket, in);
            link.reader.start();
            return link;
        } catch (Lost e) {
            closeQuietly(socket);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw new Lost(-1, describe(e));
        }
    }

    /** The HTTP/1.1 upgrade: a random key, and the hub's accept value must be its SHA-1 with the RFC's GUID. */
    private static void upgrade(OutputStream out, InputStream in, URI uri, String hostHeader) throws IOException, Lost {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: flick-agent/" + Agent.VERSION + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        StringBuilder head = new StringBuilder(256);
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new Lost(-1, "the hub closed the connection during the WebSocket upgrade");
            if (head.length() >= MAX_RESPONSE_HEAD) throw new Lost(-1, "the hub's upgrade response is too long");
            head.append((char) b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = lines(head.toString());
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) throw new Lost(-1, "not an HTTP answer: " + clip(lines[0]));
        if (!status[1].equals("101")) {
            throw new Lost(-1, "the hub answered HTTP " + status[1] + (status.length > 2 ? " " + clip(status[2]) : "")
                    + " instead of a WebSocket upgrade (is " + uri.getRawPath() + " the hub's agent endpoint?)");
        }
        String upgrade = null, connection = null, accept = null, extensions = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-extensions" -> extensions = value;
                default -> { }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) throw new Lost(-1, "the upgrade response lacks Upgrade: websocket");
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            throw new Lost(-1, "the upgrade response lacks Connection: Upgrade");
        }
        if (!expectedAccept(key).equals(accept)) throw new Lost(-1, "the upgrade response has a wrong Sec-WebSocket-Accept");
        if (extensions != null && !extensions.isEmpty()) throw new Lost(-1, "the hub chose an extension the agent did not offer");
    }

    /** The response head's lines (String.split with a two-character separator would compile a regex). */
    private static String[] lines(String head) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int start = 0, end; start < head.length(); start = end + 2) {
            end = head.indexOf("\r\n", start);
            if (end < 0) end = head.length();
            if (end > start) out.add(head.substring(start, end));
        }
        return out.toArray(new String[0]);
    }

    static String expectedAccept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Sends one text message as a single masked frame. */
    void send(CharSequence text) throws Lost {
        if (ended != null) throw new Lost(ended.code(), ended.reason());
        try {
            writeText(text);
        } catch (IOException e) {
            Incoming.Closed end = ended;
            if (end != null) throw new Lost(end.code(), end.reason());
            throw new Lost(-1, "send failed: " + describe(e));
        }
    }

    /** The next text message, or null when none came within the wait; a closed connection throws. */
    String receive(long millis) throws Lost, InterruptedException {
        Incoming m = incoming.poll(millis, TimeUnit.MILLISECONDS);
        if (m == null) return null;
        if (m instanceof Incoming.Closed c) {
            ended = c;
            incoming.offer(c); // stays closed for later reads too
            throw new Lost(c.code(), c.reason());
        }
        return ((Incoming.Text) m).json();
    }

    @Override
    public void close() {
        closing = true;
        try {
            if (!socket.isClosed()) writeControl(CLOSE, new byte[] {(byte) (1000 >> 8), (byte) (1000 & 0xFF)}, 2);
        } catch (IOException e) {
            // the socket is going away anyway
        }
        closeQuietly(socket);
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    private void writeText(CharSequence text) throws IOException {
        int length = utf8Length(text);
        writeLock.lock();
        try {
            if (closeSent) throw new IOException("the connection is closing");
            sendingSince = System.currentTimeMillis();
            try {
                int mask = RANDOM.nextInt();
                int at = header(TEXT, length, mask);
                int k = 0; // payload byte index, for the mask
                for (int i = 0; i < text.length(); i++) {
                    if (at > frame.length - 4) {
                        out.write(frame, 0, at);
                        at = 0;
                    }
                    char c = text.charAt(i);
                    if (c < 0x80) {
                        frame[at++] = masked(c, mask, k++);
                    } else if (c < 0x800) {
                        frame[at++] = masked(0xC0 | (c >> 6), mask, k++);
                        frame[at++] = masked(0x80 | (c & 0x3F), mask, k++);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, text.charAt(++i));
                        frame[at++] = masked(0xF0 | (cp >> 18), mask, k++);
                        frame[at++] = masked(0x80 | ((cp >> 12) & 0x3F), mask, k++);
                        frame[at++] = masked(0x80 | ((cp >> 6) & 0x3F), mask, k++);
                        frame[at++] = masked(0x80 | (cp & 0x3F), mask, k++);
                    } else if (Character.isSurrogate(c)) {
                        frame[at++] = masked('?', mask, k++); // a lone surrogate is not UTF-8
                    } else {
                        frame[at++] = masked(0xE0 | (c >> 12), mask, k++);
                        frame[at++] = masked(0x80 | ((c >> 6) & 0x3F), mask, k++);
                        frame[at++] = masked(0x80 | (c & 0x3F), mask, k++);
                    }
                }
                out.write(frame, 0, at);
                out.flush();
            } finally {
                sendingSince = 0;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Bytes of {@code text} in UTF-8, counted exactly as {@link #writeText} encodes. */
    static int utf8Length(CharSequence text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) n++;
            else n += 3;
        }
        return n;
    }

    private static byte masked(int b, int mask, int k) {
        return (byte) (b ^ (mask >>> (24 - 8 * (k & 3))));
    }

    /** FIN, opcode, the masked length and the key into {@link #frame}; returns where the payload starts. */
    private int header(int opcode, long length, int mask) {
        int at = 0;
        frame[at++] = (byte) (0x80 | opcode);
        if (length < 126) {
            frame[at++] = (byte) (0x80 | length);
        } else if (length < 65_536) {
            frame[at++] = (byte) (0x80 | 126);
            frame[at++] = (byte) (length >> 8);
            frame[at++] = (byte) length;
        } else {
            frame[at++] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) frame[at++] = (byte) (length >> shift);
        }
        frame[at++] = (byte) (mask >>> 24);
        frame[at++] = (byte) (mask >>> 16);
        frame[at++] = (byte) (mask >>> 8);
        frame[at++] = (byte) mask;
        return at;
    }

    /**
     * A ping's pong or a close. Waits for a send in progress, but not for one that is stuck: then the connection
     * is given up instead of leaving the reader blocked too.
     */
    private void writeControl(int opcode, byte[] payload, int length) throws IOException {
        try {
            if (!writeLock.tryLock(SEND_STUCK_MS, TimeUnit.MILLISECONDS)) throw new IOException("a send is stuck");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try {
            if (closeSent) return;
            if (opcode == CLOSE) closeSent = true;
            int mask = RANDOM.nextInt();
            int at = header(opcode, length, mask);
            for (int k = 0; k < length; k++) frame[at++] = masked(payload[k], mask, k);
            out.write(frame, 0, at);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    private void readLoop() {
        Incoming.Closed end;
        try {
            end = readFrames();
        } catch (ProtocolError e) {
            end = new Incoming.Closed(e.code, e.getMessage());
            try {
                byte[] reason = ("  " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                reason[0] = (byte) (e.code >> 8);
                reason[1] = (byte) e.code;
                writeControl(CLOSE, reason, Math.min(reason.length, 125));
            } catch (IOException ignored) {
                // closing anyway
            }
        } catch (IOException e) {
            end = ended != null ? ended : new Incoming.Closed(-1, closing ? "closed by the agent" : e instanceof EOFException
                    ? "the connection was closed without a close frame" : describe(e));
        }
        ended = end;
        incoming.offer(end); // the queue keeps a slot free for this (see deliver)
        closeQuietly(socket);
    }

    /** Frames until a close frame; returns how the connection ended. */
    private Incoming.Closed readFrames() throws IOException, ProtocolError {
        int messageOpcode = -1; // TEXT or BINARY while a fragmented message is open
        int messageLength = 0;
        while (true) {
            int b0 = readByte();
            int b1 = readByte();
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0) throw new ProtocolError(1002, "reserved bits set without an extension");
            if ((b1 & 0x80) != 0) throw new ProtocolError(1002, "the hub masked a frame");
            long length = b1 & 0x7F;
            if (length == 126) length = (readByte() << 8) | readByte();
            else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) length = (length << 8) | readByte();
                if (length < 0) throw new ProtocolError(1002, "negative frame length");
            }
            if (opcode >= CLOSE) {
                if (!fin || length > 125) throw new ProtocolError(1002, "a control frame must be whole and at most 125 bytes");
                readFully(control, 0, (int) length);
                switch (opcode) {
                    case PING -> {
                        writeControl(PONG, control, (int) length);
                    }
                    case PONG -> { }
                    case CLOSE -> {
                        int code = length >= 2 ? ((control[0] & 0xFF) << 8) | (control[1] & 0xFF) : 1005;
                        String reason = length > 2 ? new String(control, 2, (int) length - 2, StandardCharsets.UTF_8) : "";
                        writeControl(CLOSE, control, (int) Math.min(length, 2)); // echo the code, as the RFC asks
                        return new Incoming.Closed(code, reason.isEmpty() ? "closed by the hub" : reason);
                    }
                    default -> throw new ProtocolError(1002, "unknown control opcode " + opcode);
                }
                continue;
            }
            if (opcode == CONTINUATION) {
                if (messageOpcode < 0) throw new ProtocolError(1002, "a continuation frame without a message");
            } else if (opcode == TEXT || opcode == BINARY) {
                if (messageOpcode >= 0) throw new ProtocolError(1002, "a new message inside a fragmented one");
                messageOpcode = opcode;
                messageLength = 0;
            } else {
                throw new ProtocolError(1002, "unknown opcode " + opcode);
            }
            if (messageLength + length > MAX_MESSAGE) throw new ProtocolError(1009, "a message from the hub exceeds " + MAX_MESSAGE + " bytes");
            int total = messageLength + (int) length;
            if (total > message.length) {
                byte[] bigger = new byte[Math.min(MAX_MESSAGE, Math.max(total, message.length * 2))];
                System.arraycopy(message, 0, bigger, 0, messageLength);
                message = bigger;
            }
            readFully(message, messageLength, (int) length);
            messageLength = total;
            if (fin) {
                if (messageOpcode == TEXT) {
                    long arrived = System.currentTimeMillis();
                    String text = new String(message, 0, messageLength, StandardCharsets.UTF_8);
                    if (isTimeProbe(text)) answerTime(Messages.number(text, "h", 0), arrived);
                    else deliver(text);
                }
                messageOpcode = -1; // the hub never sends binary; one would be skipped
                messageLength = 0;
            }
        }
    }

    private static boolean isTimeProbe(String text) {
        return text.length() < 256 && text.contains("\"time\"") && Messages.string(text, "type").equals("time");
    }

    /**
     * {@code {"type":"time","h":H,"a1":arrived,"a2":now}}: a2 is taken once the write lock is held, so time spent
     * waiting behind a batch being sent is between a1 and a2, where the hub's NTP-style estimate expects it.
     */
    private void answerTime(long h, long arrived) throws IOException {
        try {
            if (!writeLock.tryLock(SEND_STUCK_MS, TimeUnit.MILLISECONDS)) throw new IOException("a send is stuck");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try {
            if (closeSent) return;
            timeReply.setLength(0);
            timeReply.append("{\"type\":\"time\",\"h\":").append(h).append(",\"a1\":").append(arrived)
                    .append(",\"a2\":").append(System.currentTimeMillis()).append('}');
            writeText(timeReply);
        } finally {
            writeLock.unlock();
        }
    }

    private void deliver(String text) throws ProtocolError {
        // One slot always stays free for the end of the connection.
        if (incoming.remainingCapacity() <= 1) throw new ProtocolError(1008, "more than " + (MAX_UNREAD - 1) + " unread messages from the hub");
        incoming.offer(new Incoming.Text(text));
    }

    private int readByte() throws IOException {
        while (true) {
            try {
                int b = in.read();
                if (b < 0) throw new EOFException();
                return b;
            } catch (SocketTimeoutException e) {
                checkStuckSend();
            }
        }
    }

    private void readFully(byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            try {
                int n = in.read(into, offset + done, length - done);
                if (n < 0) throw new EOFException();
                done += n;
            } catch (SocketTimeoutException e) {
                checkStuckSend();
            }
        }
    }

    /** Read timeouts only wake the reader: a send blocked for too long means the hub stopped reading. */
    private void checkStuckSend() throws IOException {
        long since = sendingSince;
        if (since > 0 && System.currentTimeMillis() - since > SEND_STUCK_MS) {
            ended = new Incoming.Closed(-1, "send did not finish within " + SEND_STUCK_MS / 1000 + " s");
            throw new IOException(ended.reason());
        }
    }

    private static final class ProtocolError extends Exception {
        final int code;

        ProtocolError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static String clip(String s) {
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
