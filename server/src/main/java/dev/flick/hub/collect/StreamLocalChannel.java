package dev.flick.hub.collect;

import java.io.IOException;

import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * OpenSSH's {@code direct-streamlocal@openssh.com} channel (PROTOCOL §2.4): a byte stream to a unix socket on the
 * target, opened by sshd itself, as {@code ssh -L local:/remote.sock} does. MINA SSHD has the TCP variant only; this
 * is the same channel with the socket path in place of host and port. Nothing runs on the target; sshd must allow
 * stream-local forwarding (OpenSSH's default, {@code AllowStreamLocalForwarding yes}) and the login user must be
 * allowed to connect to the socket (root, or a member of the docker group).
 */
final class StreamLocalChannel extends AsyncCapableClientChannel {

    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String socketPath;

    StreamLocalChannel(String socketPath) {
        super(TYPE, false);
        this.socketPath = socketPath;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (closeFuture.isClosed()) throw new SshException("Session has been closed");
        openFuture = new DefaultOpenFuture(socketPath, futureLock);
        LocalWindow window = getLocalWindow();
        Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, TYPE.length() + socketPath.length() + 64);
        buffer.putString(TYPE);
        buffer.putUInt(getChannelId());
        buffer.putUInt(window.getSize());
        buffer.putUInt(window.getPacketSize());
        buffer.putString(socketPath);
        buffer.putString(""); // reserved
        buffer.putUInt(0); // reserved
        writePacket(buffer);
        return openFuture;
    }
}
