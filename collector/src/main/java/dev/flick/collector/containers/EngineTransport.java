package dev.flick.collector.containers;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How bytes reach a container engine's API socket: a unix-domain socket on this host, or (in the hub) an SSH
 * channel to the target's socket. Each request opens a fresh stream, so a broken one never poisons the next.
 */
public interface EngineTransport {

    /** A new connection to the engine's socket. */
    Stream open() throws IOException;

    /** Where it leads, for log lines (a socket path). */
    String describe();

    /** One open connection. */
    interface Stream extends Closeable {
        InputStream in();

        OutputStream out();
    }
}
