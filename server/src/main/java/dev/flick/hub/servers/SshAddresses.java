package dev.flick.hub.servers;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * Where an SSH server may point. Loopback, link-local, unspecified, multicast, cloud-metadata addresses and the
 * hub's own addresses are refused, checked on every address a name resolves to, unless allowed hub-wide
 * ({@code FLICK_SSH_ALLOW_LOOPBACK}, for test setups) or by an admin for one server. Private LAN addresses are the
 * normal case and stay allowed. The collector connects to the address vetted here, never to the name, so a DNS
 * answer that changes between check and connect cannot slip through.
 */
@Component
public class SshAddresses {

    /** Why a target is refused; the message names the address class, never anything the target sent. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowHubWide;

    SshAddresses(SshTargetSettings settings) {
        this.allowHubWide = settings.allowLoopback();
    }

    /**
     * Resolves the host (a literal address resolves to itself) and checks every address it has.
     *
     * @param allowedForServer an admin allowed this server to point at a refused address
     * @return the address to connect to: literal, so no second lookup can happen
     * @throws UnknownHostException when the name does not resolve
     * @throws Refused when any address is refused
     */
    public InetSocketAddress vet(String host, int port, boolean allowedForServer) throws UnknownHostException, Refused {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(h);
        if (!allowHubWide && !allowedForServer) {
            Set<InetAddress> own = hubAddresses();
            for (InetAddress a : all) {
                Optional<String> why = refusal(a, own);
                if (why.isPresent()) {
                    throw new Refused(h + " resolves to " + a.getHostAddress() + ", " + why.get()
                            + "; SSH servers may not point there unless an admin allows it for this server");
                }
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(all[0].getAddress()), port);
    }

    /** Why an address is refused, or empty when an SSH server may point at it. */
    static Optional<String> refusal(InetAddress a, Set<InetAddress> hubAddresses) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if (Arrays.equals(b, AWS_METADATA_V6)) return Optional.of("a cloud metadata address");
            byte[] v4 = embeddedV4(b);
            if (v4 != null) {
                try {
                    return refusal(InetAddress.getByAddress(v4), hubAddresses);
                } catch (UnknownHostException impossible) {
                    return Optional.of("an unusable address");
                }
            }
        }
        if (a.isAnyLocalAddress()) return Optional.of("an unspecified address (this host)");
        if (a.isLoopbackAddress()) return Optional.of("a loopback address");
        if (a.isMulticastAddress()) return Optional.of("a multicast address");
        if (a instanceof Inet4Address) {
            if ((b[0] & 0xff) == 169 && (b[1] & 0xff) == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) {
                return Optional.of("a cloud metadata address");
            }
            if ((b[0] & 0xff) == 0) return Optional.of("an unspecified address (this host)");
            if ((b[0] & 0xff) >= 240) return Optional.of("a reserved address");
        }
        if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
        if (hubAddresses.contains(withoutScope(a))) return Optional.of("one of the hub's own addresses");
        return Optional.empty();
    }

    private static final byte[] AWS_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) address. */
    private static byte[] embeddedV4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 10; i++) zeros &= b[i] == 0;
        boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros && b[10] == 0 && b[11] == 0 && (b[12] | b[13] | b[14]) != 0;
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
        if (!mapped && !compatible && !nat64) return null;
        return new byte[] {b[12], b[13], b[14], b[15]};
    }

    /** Every address of every interface of this host, read on each check (interfaces and DHCP leases change). */
    static Set<InetAddress> hubAddresses() {
        Set<InetAddress> own = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) own.add(withoutScope(a));
            }
        } catch (SocketException e) {
            // no interface list: loopback and link-local are still refused by class
        }
        return own;
    }

    private static InetAddress withoutScope(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException impossible) {
            return a;
        }
    }
}
