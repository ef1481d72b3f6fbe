package dev.flick.hub.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP listener on 127.0.0.1 that counts the connections it gets and greets each with a fixed text (not SSH):
 * where the hub must not connect it must count none, and wherever a guard failed the connection still stays on this
 * machine.
 */
final class LoopbackListener implements AutoCloseable {

    final int port;
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    LoopbackListener(String greeting) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        port = socket.getLocalPort();
        byte[] bytes = greeting.getBytes(StandardCharsets.US_ASCII);
        Thread.ofPlatform().daemon().name("loopback-listener-" + port).start(() -> {
            while (!socket.isClosed()) {
                try (Socket c = socket.accept()) {
                    accepted.incrementAndGet();
                    OutputStream out = c.getOutputStream();
                    out.write(bytes);
                    out.flush();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
