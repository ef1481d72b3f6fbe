package dev.flick.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's WebSocket client against a peer on a real loopback socket that speaks RFC 6455 frame by frame, so
 * the cases the hub's container never produces on its own (fragments with a ping between them, oversized messages,
 * a wrong accept key, an HTTP error instead of an upgrade) are exercised too. The real hub is in the server module's
 * agent tests.
 */
class HubLinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private ServerSocket server;

    @AfterEach
    void closeServer() throws IOException {
        if (server != null) server.close();
    }

    /** A frame as the peer saw it: whether the client masked it, its opcode and its unmasked payload. */
    record Frame(boolean fin, int opcode, boolean masked, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    /** The server side of one connection. */
    static final class Peer implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final String request;

        Peer(Socket socket, String request, DataInputStream in) throws IOException {
            this.socket = socket;
            this.request = request;
            this.in = in;
            this.out = socket.getOutputStream();
        }

        Frame read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = in.readLong();
            byte[] key = new byte[4];
            boolean masked = (b1 & 0x80) != 0;
            if (masked) in.readFully(key);
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
            return new Frame((b0 & 0x80) != 0, b0 & 0x0F, masked, payload);
        }

        void write(boolean fin, int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) f.write(payload.length);
            else if (payload.length < 65_536) {
                f.write(126);
                f.write(payload.length >> 8);
                f.write(payload.length & 0xFF);
            } else {
                f.write(127);
                for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >> shift) & 0xFF);
            }
            f.write(payload);
            out.write(f.toByteArray());
            out.flush();
        }

        void text(boolean fin, int opcode, String s) throws IOException {
            write(fin, opcode, s.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private URI listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/api/v1/agent");
    }

    /** Accepts one connection and answers its upgrade with {@code response} (null: the correct 101). */
    private CompletableFuture<Peer> accept(String response) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket s = server.accept();
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
                String key = head.toString().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElseThrow();
                String answer = response != null ? response
                        : "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                        + HubLink.expectedAccept(key) + "\r\n\r\n";
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                return new Peer(s, head.toString(), in);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theUpgradeAsksForAWebSocketAndTheAcceptKeyIsTheRfcExample() throws Exception {
        // RFC 6455 section 1.3's worked example.
        assertThat(HubLink.expectedAccept("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            assertThat(p.request).startsWith("GET /api/v1/agent HTTP/1.1\r\n")
                    .contains("Host: 127.0.0.1:" + server.getLocalPort() + "\r\n")
                    .contains("Upgrade: websocket\r\n").contains("Connection: Upgrade\r\n").contains("Sec-WebSocket-Version: 13\r\n");
        }
    }

    @Test
    void textGoesOutMaskedAsOneFrameWhateverItsSizeAndCharacters() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            String small = "{\"type\":\"ping\"}";
            String mixed = "héllo ✓ 𝄞 " + "x".repeat(300); // 2-, 3- and 4-byte characters, over 125 bytes
            StringBuilder large = new StringBuilder();
            while (large.length() < 200_000) large.append("{\"ts\":").append(large.length()).append(",\"name\":\"ünïcode\"},");
            link.send(small);
            link.send(mixed);
            link.send(large);
            for (String expected : new String[] {small, mixed, large.toString()}) {
                Frame f = p.read();
                assertThat(f.masked()).as("client frames are masked").isTrue();
                assertThat(f.fin()).isTrue();
                assertThat(f.opcode()).isEqualTo(1);
                assertThat(f.text()).isEqualTo(expected);
            }
        }
    }

    @Test
    void fragmentedMessagesArePutTogetherAndPingsBetweenThemAreAnswered() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            p.text(false, 0x1, "{\"type\":\"ack\",");
            p.write(true, 0x9, "are you there".getBytes(StandardCharsets.UTF_8));
            p.text(false, 0x0, "\"ts\":");
            p.text(true, 0x0, "42}");
            p.text(true, 0x1, "{\"type\":\"ready\"}");
            assertThat(link.receive(5_000)).isEqualTo("{\"type\":\"ack\",\"ts\":42}");
            assertThat(link.receive(5_000)).isEqualTo("{\"type\":\"ready\"}");
            Frame pong = p.read();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(pong.masked()).isTrue();
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(link.receive(100)).isNull();
        }
    }

    @Test
    void clockProbesAreAnsweredByTheReaderWithBothStampsAndNotHandedOn() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            long before = System.currentTimeMillis();
            p.text(true, 0x1, "{\"type\":\"time\",\"h\":1234567}");
            p.text(true, 0x1, "{\"type\":\"ready\"}");
            // Nobody calls receive() yet: the answer comes from the reader thread alone.
            Frame answer = p.read();
            long after = System.currentTimeMillis();
            assertThat(answer.opcode()).isEqualTo(0x1);
            assertThat(answer.masked()).isTrue();
            String reply = answer.text();
            assertThat(Messages.string(reply, "type")).isEqualTo("time");
            assertThat(Messages.number(reply, "h")).isEqualTo(1234567);
            long a1 = Messages.number(reply, "a1");
            long a2 = Messages.number(reply, "a2");
            assertThat(a1).isBetween(before, a2);
            assertThat(a2).isLessThanOrEqualTo(after);
            assertThat(link.receive(5_000)).isEqualTo("{\"type\":\"ready\"}");
            assertThat(link.receive(100)).isNull();
        }
    }

    @Test
    void aCloseFromTheHubEndsTheLinkWithItsCodeAndIsEchoed() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            byte[] reason = "  unauthorized".getBytes(StandardCharsets.UTF_8);
            reason[0] = (byte) (4401 >> 8);
            reason[1] = (byte) (4401 & 0xFF);
            p.write(true, 0x8, reason);
            assertThatThrownBy(() -> link.receive(5_000)).isInstanceOfSatisfying(HubLink.Lost.class, lost -> {
                assertThat(lost.code).isEqualTo(4401);
                assertThat(lost.getMessage()).isEqualTo("unauthorized");
            });
            Frame echo = p.read();
            assertThat(echo.opcode()).isEqualTo(0x8);
            assertThat(echo.closeCode()).isEqualTo(4401);
            // Closed stays closed: later reads and sends say so too.
            assertThatThrownBy(() -> link.receive(100)).isInstanceOf(HubLink.Lost.class);
            assertThatThrownBy(() -> link.send("{}")).isInstanceOf(HubLink.Lost.class);
        }
    }

    @Test
    void aMessageLargerThanTheLimitEndsTheConnectionWith1009() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            byte[] half = new byte[HubLink.MAX_MESSAGE / 2 + 1];
            java.util.Arrays.fill(half, (byte) 'a');
            try {
                p.write(false, 0x1, half);
                p.write(true, 0x0, half);
            } catch (java.io.IOException hungUp) {
                // The agent may refuse (and close) as soon as the second fragment's length tells it the total.
            }
            assertThatThrownBy(() -> link.receive(5_000)).isInstanceOfSatisfying(HubLink.Lost.class,
                    lost -> assertThat(lost.code).isEqualTo(1009));
            Frame close = p.read();
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aMaskedFrameFromTheHubIsAProtocolError() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> peer = accept(null);
        try (HubLink link = HubLink.open(uri, TIMEOUT); Peer p = peer.get(5, TimeUnit.SECONDS)) {
            p.out.write(new byte[] {(byte) 0x81, (byte) 0x81, 1, 2, 3, 4, 'x'});
            p.out.flush();
            assertThatThrownBy(() -> link.receive(5_000)).isInstanceOfSatisfying(HubLink.Lost.class,
                    lost -> assertThat(lost.code).isEqualTo(1002));
        }
    }

    @Test
    void aWrongAcceptKeyOrAnHttpErrorRefusesTheUpgrade() throws Exception {
        URI uri = listen();
        CompletableFuture<Peer> wrongKey = accept("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: c29tZXRoaW5nIGVsc2U=\r\n\r\n");
        assertThatThrownBy(() -> HubLink.open(uri, TIMEOUT)).isInstanceOf(HubLink.Lost.class).hasMessageContaining("Sec-WebSocket-Accept");
        wrongKey.get(5, TimeUnit.SECONDS).close();

        CompletableFuture<Peer> notFound = accept("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assertThatThrownBy(() -> HubLink.open(uri, TIMEOUT)).isInstanceOf(HubLink.Lost.class).hasMessageContaining("HTTP 404");
        notFound.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void nobodyListeningIsALostLinkNotAHang() throws Exception {
        URI uri = listen();
        server.close();
        long start = System.nanoTime();
        assertThatThrownBy(() -> HubLink.open(uri, TIMEOUT)).isInstanceOf(HubLink.Lost.class);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void utf8LengthCountsWhatIsWritten() {
        assertThat(HubLink.utf8Length("aé✓𝄞")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(HubLink.utf8Length("a\uD800b")).isEqualTo(3); // a lone surrogate goes out as '?'
        assertThat(HubLink.utf8Length("aé✓𝄞")).isEqualTo("aé✓𝄞".getBytes(StandardCharsets.UTF_8).length);
    }
}
