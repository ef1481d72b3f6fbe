package dev.flick.hub.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.hc.client5.http.DnsResolver;

/**
 * Where a webhook may not go unless an admin allowed it: loopback, private, link-local, carrier-grade NAT,
 * multicast, unspecified and cloud-metadata addresses. Checked on the resolved addresses, and the HTTP client
 * connects to exactly the addresses checked here, so a DNS answer that changes between check and connect
 * (rebinding) cannot slip through.
 */
final class WebhookAddresses {

    private WebhookAddresses() {}

    /** Why an address is refused, or empty when a webhook may reach it. */
    static Optional<String> refusal(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            if (isMetadataV6(b)) return Optional.of("a cloud metadata address");
            byte[] embedded = embeddedV4(b);
            if (embedded != null) {
                try {
                    return refusal(InetAddress.getByAddress(embedded));
                } catch (UnknownHostException impossible) {
                    return Optional.of("an unusable address");
                }
            }
        }
        if (a.isAnyLocalAddress()) return Optional.of("an unspecified address");
        if (a.isLoopbackAddress()) return Optional.of("a loopback address");
        if (a.isMulticastAddress()) return Optional.of("a multicast address");
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            if (b0 == 169 && b1 == 254 && (b[2] & 0xff) == 169 && (b[3] & 0xff) == 254) return Optional.of("a cloud metadata address");
            if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
            if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) return Optional.of("a private address");
            if (b0 == 100 && (b1 & 0xc0) == 64) return Optional.of("a carrier-grade NAT address");
            if (b0 == 0) return Optional.of("an unspecified address");
            if (b0 == 198 && (b1 & 0xfe) == 18) return Optional.of("a private (benchmarking) address");
            if (b0 >= 240) return Optional.of("a reserved address");
        } else {
            if ((b[0] & 0xfe) == 0xfc) return Optional.of("a private (unique local) address");
            if (a.isLinkLocalAddress()) return Optional.of("a link-local address");
            if (a.isSiteLocalAddress()) return Optional.of("a private (site-local) address");
        }
        return Optional.empty();
    }

    private static boolean isMetadataV6(byte[] b) {
        // fd00:ec2::254 (AWS IMDS over IPv6)
        byte[] imds = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
        return java.util.Arrays.equals(b, imds);
    }

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

    /** Thrown when a host resolves to a refused address; its message is safe to show and store. */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }

    /** Resolves through the system resolver and refuses the whole host if any of its addresses is refused. */
    static final class GuardedResolver implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                Optional<String> why = refusal(a);
                if (why.isPresent()) {
                    throw new Refused("refused: " + h + " resolves to " + a.getHostAddress() + ", " + why.get()
                            + " (an admin may allow private targets for this channel)");
                }
            }
            return all;
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : resolve(host)) out.add(new InetSocketAddress(a, port));
            return out;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return resolve(host)[0].getCanonicalHostName();
        }
    }
}
